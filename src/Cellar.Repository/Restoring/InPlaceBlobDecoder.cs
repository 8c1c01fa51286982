using System.Security.Cryptography;
using Cellar.Repository.Compression;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Decodes a blob inside the buffer its pack range was read into, with the same checks as
/// <see cref="Blobs.BlobDecoder"/> (MAC, decompression to the indexed length, SHA-256 against the
/// id): the MAC is checked on the stored bytes, which are then decrypted where they lie; only a
/// compressed blob needs a second buffer (the caller's, reused). Nothing is allocated per blob.
/// The stored bytes of the blob are overwritten.
/// </summary>
internal static class InPlaceBlobDecoder
{
    /// <summary>The blob's plaintext: a slice of <paramref name="range"/> or of <paramref name="scratch"/> (grown when too small).</summary>
    public static ReadOnlySpan<byte> Decode(MasterKey key, scoped in PackedBlob blob, Span<byte> range, long rangeOffset, scoped ref byte[]? scratch)
    {
        var start = blob.Offset - rangeOffset;
        if (start < 0 || start + blob.Length > range.Length || blob.Length < MasterKey.Overhead)
        {
            throw Corrupt(blob, "its place in the pack lies outside the bytes read");
        }

        var stored = range.Slice((int)start, blob.Length);
        var decrypted = stored[..(blob.Length - MasterKey.Overhead)];
        if (!key.TryOpen(stored, decrypted))
        {
            throw Corrupt(blob, "the MAC does not match (damaged data)");
        }

        var plaintextLength = blob.PlaintextLength;
        Span<byte> plaintext;
        if (!blob.IsCompressed)
        {
            plaintext = decrypted;
        }
        else
        {
            if (scratch is null || scratch.Length < plaintextLength)
            {
                scratch = GC.AllocateUninitializedArray<byte>(Math.Max(plaintextLength, 1024 * 1024));
            }

            int written;
            try
            {
                written = Zstd.DecompressInto(decrypted, scratch.AsSpan(0, plaintextLength));
            }
            catch (RepositoryCorruptException ex)
            {
                throw Corrupt(blob, ex.Message);
            }

            if (written != plaintextLength)
            {
                throw Corrupt(blob, $"decompressed {written} bytes where the index says {plaintextLength}");
            }

            plaintext = scratch.AsSpan(0, plaintextLength);
        }

        Span<byte> hash = stackalloc byte[Id.Size];
        SHA256.HashData(plaintext, hash);
        if (new Id(hash) != blob.Id)
        {
            throw Corrupt(blob, $"its content hashes to {new Id(hash)}");
        }

        return plaintext;
    }

    private static RepositoryCorruptException Corrupt(in PackedBlob blob, string what) =>
        new($"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} in pack {blob.PackId} is damaged: {what}");
}
