using System.Buffers;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Packs;

/// <summary>
/// Turns a plaintext blob into its stored form as restic does in a repository of format v2:
/// zstd-compressed (trees always; data unless compression is off), then encrypted on its own
/// (IV, ciphertext, MAC). In a v1 repository nothing is compressed. <see cref="Prepare"/> does
/// the compression into a lent buffer, where <see cref="PreparedBlob.Seal"/> then encrypts it in
/// place (an uncompressed blob is encrypted from the caller's bytes into that buffer): one buffer
/// per blob being sealed, of the blob's size, whatever the pack's size.
/// </summary>
internal sealed class BlobSealer(MasterKey key, BlobCompressor buffers, bool compress)
{
    public MasterKey Key => key;

    /// <summary>Compresses when the blob should be and it pays; the result must be disposed.</summary>
    public PreparedBlob Prepare(BlobHandle handle, ReadOnlyMemory<byte> plaintext)
    {
        var lease = buffers.Rent(plaintext.Length);
        if (!compress || plaintext.Length == 0 || (handle.Type == BlobType.Data && buffers.Mode == BlobCompression.Off))
        {
            return new PreparedBlob(handle, plaintext, 0, buffers, lease);
        }

        var compressedLength = lease.Compress(plaintext.Span);
        if (compressedLength >= plaintext.Length && handle.Type == BlobType.Data)
        {
            // Incompressible (random, already compressed): stored as is, which the format allows
            // and which spares the restore a pointless decompression.
            return new PreparedBlob(handle, plaintext, 0, buffers, lease);
        }

        return new PreparedBlob(handle, lease.Output.AsMemory(MasterKey.IvSize, compressedLength), plaintext.Length, buffers, lease);
    }

    /// <summary>The stored form in a buffer of its own (for measurements; the writer seals into packs).</summary>
    public SealedBlob Seal(BlobHandle handle, ReadOnlyMemory<byte> plaintext)
    {
        using var prepared = Prepare(handle, plaintext);
        var buffer = ArrayPool<byte>.Shared.Rent(prepared.SealedLength);
        prepared.Seal(key).CopyTo(buffer);
        return new SealedBlob(handle, buffer, prepared.SealedLength, prepared.UncompressedLength);
    }
}
