using ZstdNet;

namespace Cellar.Repository.Compression;

/// <summary>zstd through the native library; one compressor/decompressor per thread.</summary>
internal static class Zstd
{
    [ThreadStatic] private static Decompressor? t_decompressor;
    [ThreadStatic] private static Compressor? t_compressor;
    [ThreadStatic] private static int t_compressorLevel;

    /// <summary>Decompresses a frame whose content size is known (from the index).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed, int expectedLength)
    {
        var output = new byte[expectedLength];
        var written = DecompressInto(compressed, output);
        if (written != expectedLength)
        {
            throw new RepositoryCorruptException($"decompressed {written} bytes where the index says {expectedLength}");
        }

        return output;
    }

    public static int DecompressInto(ReadOnlySpan<byte> compressed, Span<byte> output)
    {
        try
        {
            t_decompressor ??= new Decompressor();
            return t_decompressor.Unwrap(compressed, output, bufferSizePrecheck: false);
        }
        catch (ZstdException ex)
        {
            throw new RepositoryCorruptException($"zstd data is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>The decompressed size a frame's header states, or 0 when it does not (or is damaged).</summary>
    public static long ContentSize(ReadOnlySpan<byte> compressed)
    {
        try
        {
            var size = Decompressor.GetDecompressedSize(compressed);
            return size < long.MaxValue ? (long)size : 0;
        }
        catch (ZstdException)
        {
            return 0;
        }
    }

    /// <summary>Decompresses a frame of unknown size (unpacked files).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed)
    {
        try
        {
            ulong size;
            try
            {
                size = Decompressor.GetDecompressedSize(compressed);
            }
            catch (ZstdException)
            {
                size = 0; // the frame does not say; stream it
            }

            if (size is > 0 and < int.MaxValue)
            {
                return Decompress(compressed, (int)size);
            }

            using var input = new MemoryStream(compressed.ToArray());
            using var stream = new DecompressionStream(input);
            using var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
        catch (ZstdException ex)
        {
            throw new RepositoryCorruptException($"zstd data is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>Compresses with the given level (restic: 3 for auto, 19ish for max).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data, int level = 3)
    {
        if (t_compressor is null || t_compressorLevel != level)
        {
            t_compressor?.Dispose();
            t_compressor = new Compressor(new CompressionOptions(level));
            t_compressorLevel = level;
        }

        return t_compressor.Wrap(data);
    }
}
