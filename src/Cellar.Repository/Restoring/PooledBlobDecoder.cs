using System.Buffers;
using System.Security.Cryptography;
using Cellar.Repository.Compression;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Decodes a blob into a pooled buffer, with the same checks as <see cref="Blobs.BlobDecoder"/>
/// (MAC, decompression to the indexed length, SHA-256 against the id), so restoring hundreds of
/// megabytes does not allocate a fresh large array per blob.
/// </summary>
internal static class PooledBlobDecoder
{
    /// <summary>Returns a rented buffer whose first <see cref="PackedBlob.PlaintextLength"/> bytes are the blob; return it to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static byte[] Decode(MasterKey key, in PackedBlob blob, ReadOnlySpan<byte> range, long rangeOffset)
    {
        var start = blob.Offset - rangeOffset;
        if (start < 0 || start + blob.Length > range.Length || blob.Length < MasterKey.Overhead)
        {
            throw Corrupt(blob, "its place in the pack lies outside the bytes read");
        }

        var stored = range.Slice((int)start, blob.Length);
        var decryptedLength = blob.Length - MasterKey.Overhead;
        var plaintextLength = blob.PlaintextLength;
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(1, plaintextLength));
        try
        {
            if (!blob.IsCompressed)
            {
                if (!key.TryOpen(stored, output.AsSpan(0, decryptedLength)))
                {
                    throw Corrupt(blob, "the MAC does not match (damaged data)");
                }
            }
            else
            {
                var compressed = ArrayPool<byte>.Shared.Rent(Math.Max(1, decryptedLength));
                try
                {
                    if (!key.TryOpen(stored, compressed.AsSpan(0, decryptedLength)))
                    {
                        throw Corrupt(blob, "the MAC does not match (damaged data)");
                    }

                    int written;
                    try
                    {
                        written = Zstd.DecompressInto(compressed.AsSpan(0, decryptedLength), output.AsSpan(0, plaintextLength));
                    }
                    catch (RepositoryCorruptException ex)
                    {
                        throw Corrupt(blob, ex.Message);
                    }

                    if (written != plaintextLength)
                    {
                        throw Corrupt(blob, $"decompressed {written} bytes where the index says {plaintextLength}");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(compressed);
                }
            }

            Span<byte> hash = stackalloc byte[Id.Size];
            SHA256.HashData(output.AsSpan(0, plaintextLength), hash);
            if (new Id(hash) != blob.Id)
            {
                throw Corrupt(blob, $"its content hashes to {new Id(hash)}");
            }

            return output;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
    }

    private static RepositoryCorruptException Corrupt(in PackedBlob blob, string what) =>
        new($"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} in pack {blob.PackId} is damaged: {what}");
}
