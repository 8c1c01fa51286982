using System.Buffers;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Packs;

/// <summary>
/// Turns a plaintext blob into its stored form as restic does in a repository of format v2:
/// zstd-compressed (trees always; data unless compression is off), then encrypted on its own
/// (IV, ciphertext, MAC). In a v1 repository nothing is compressed. <see cref="Prepare"/> does
/// the compression; the encryption goes straight into the pack buffer (no sealed copy).
/// </summary>
internal sealed class BlobSealer(MasterKey key, BlobCompressor? compressor)
{
    public MasterKey Key => key;

    /// <summary>Compresses when the blob should be and it pays; the result must be disposed.</summary>
    public PreparedBlob Prepare(BlobHandle handle, ReadOnlyMemory<byte> plaintext)
    {
        var compress = compressor is not null && plaintext.Length > 0
            && (handle.Type == BlobType.Tree || compressor.Mode != BlobCompression.Off);
        if (!compress)
        {
            return new PreparedBlob(handle, plaintext, 0, null, null);
        }

        var lease = compressor!.Rent(plaintext.Length);
        var compressedLength = lease.Compress(plaintext.Span);
        if (compressedLength >= plaintext.Length && handle.Type == BlobType.Data)
        {
            // Incompressible (random, already compressed): stored as is, which the format allows
            // and which spares the restore a pointless decompression.
            compressor.Return(lease);
            return new PreparedBlob(handle, plaintext, 0, null, null);
        }

        return new PreparedBlob(handle, lease.Output.AsMemory(0, compressedLength), plaintext.Length, compressor, lease);
    }

    /// <summary>The stored form in a buffer of its own (for measurements; the writer seals into packs).</summary>
    public SealedBlob Seal(BlobHandle handle, ReadOnlyMemory<byte> plaintext)
    {
        using var prepared = Prepare(handle, plaintext);
        var buffer = ArrayPool<byte>.Shared.Rent(prepared.SealedLength);
        prepared.SealInto(key, buffer.AsSpan(0, prepared.SealedLength));
        return new SealedBlob(handle, buffer, prepared.SealedLength, prepared.UncompressedLength);
    }
}
