using ZstdNet;

namespace Cellar.Repository.Packs;

/// <summary>
/// zstd compression of blobs with one native compressor per thread (the native contexts are not
/// thread-safe and costly to create).
/// </summary>
internal sealed class BlobCompressor : IDisposable
{
    /// <summary>restic's "max" maps to zstd's best ratio; level 19 is the highest without the ultra memory cost.</summary>
    private const int MaxLevel = 19;

    private readonly ThreadLocal<Compressor> _compressor;

    public BlobCompressor(BlobCompression mode)
    {
        Mode = mode;
        var level = mode == BlobCompression.Max ? MaxLevel : CompressionOptions.DefaultCompressionLevel;
        _compressor = new ThreadLocal<Compressor>(() => new Compressor(new CompressionOptions(level)), trackAllValues: true);
    }

    public BlobCompression Mode { get; }

    public static int MaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/>); returns the length.</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination) => _compressor.Value!.Wrap(source, destination);

    public void Dispose()
    {
        foreach (var compressor in _compressor.Values)
        {
            compressor.Dispose();
        }

        _compressor.Dispose();
    }
}
