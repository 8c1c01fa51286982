using System.Buffers;
using System.Security.Cryptography;
using Cellar.Repository.Compression;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;

namespace Cellar.Repository.Blobs;

/// <summary>
/// Turns a blob's stored bytes into its plaintext: MAC check and decryption, decompression when the
/// index says compressed, and the SHA-256 check against the blob's id. Every read goes through here.
/// </summary>
internal static class BlobDecoder
{
    /// <summary>Decodes a blob from exactly its stored bytes.</summary>
    public static byte[] Decode(MasterKey key, in PackedBlob blob, ReadOnlySpan<byte> stored)
    {
        if (stored.Length != blob.Length)
        {
            throw Corrupt(blob, $"read {stored.Length} bytes where the index says {blob.Length}");
        }

        var decryptedLength = blob.Length - MasterKey.Overhead;
        byte[] result;
        if (!blob.IsCompressed)
        {
            result = new byte[decryptedLength];
            if (!key.TryOpen(stored, result))
            {
                throw Corrupt(blob, "the MAC does not match (damaged data)");
            }
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(decryptedLength);
            try
            {
                if (!key.TryOpen(stored, rented))
                {
                    throw Corrupt(blob, "the MAC does not match (damaged data)");
                }

                try
                {
                    result = Zstd.Decompress(rented.AsSpan(0, decryptedLength), blob.UncompressedLength);
                }
                catch (RepositoryCorruptException ex)
                {
                    throw Corrupt(blob, ex.Message);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<byte> hash = stackalloc byte[Id.Size];
        SHA256.HashData(result, hash);
        if (new Id(hash) != blob.Id)
        {
            throw Corrupt(blob, $"its content hashes to {new Id(hash)}");
        }

        return result;
    }

    /// <summary>
    /// Decodes a blob out of a buffer holding a range of its pack that starts at pack offset
    /// <paramref name="rangeOffset"/> (for reading a pack once and decoding many blobs).
    /// </summary>
    public static byte[] DecodeFromPackRange(MasterKey key, in PackedBlob blob, ReadOnlySpan<byte> range, long rangeOffset)
    {
        var start = blob.Offset - rangeOffset;
        if (start < 0 || start + blob.Length > range.Length)
        {
            throw new ArgumentException($"the buffer (pack bytes {rangeOffset}..{rangeOffset + range.Length}) does not hold blob {blob.Id} at {blob.Offset}+{blob.Length}");
        }

        return Decode(key, blob, range.Slice((int)start, blob.Length));
    }

    /// <summary>Encodes a blob as the writing side stores it: optional zstd, then seal. Returns the stored bytes and the uncompressed length (0 when not compressed).</summary>
    public static (byte[] Stored, int UncompressedLength) Encode(MasterKey key, ReadOnlySpan<byte> plaintext, bool compress, int level = 3)
    {
        if (compress)
        {
            // restic compresses every blob it is asked to, even when zstd does not make it smaller.
            return (key.Seal(Zstd.Compress(plaintext, level)), plaintext.Length);
        }

        return (key.Seal(plaintext), 0);
    }

    private static RepositoryCorruptException Corrupt(in PackedBlob blob, string what) =>
        new($"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} in pack {blob.PackId} is damaged: {what}");
}
