using System.Buffers;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Packs;

/// <summary>
/// Turns a plaintext blob into its stored form as restic does in a repository of format v2:
/// zstd-compressed (trees always; data unless compression is off), then encrypted on its own
/// (IV, ciphertext, MAC). In a v1 repository nothing is compressed.
/// </summary>
internal sealed class BlobSealer(MasterKey key, BlobCompressor? compressor)
{
    public SealedBlob Seal(BlobHandle handle, ReadOnlySpan<byte> plaintext)
    {
        var compress = compressor is not null && plaintext.Length > 0
            && (handle.Type == BlobType.Tree || compressor.Mode != BlobCompression.Off);
        if (!compress)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(plaintext.Length + MasterKey.Overhead);
            var length = key.Seal(plaintext, buffer);
            return new SealedBlob(handle, buffer, length, 0);
        }

        var scratch = ArrayPool<byte>.Shared.Rent(BlobCompressor.MaxCompressedLength(plaintext.Length));
        try
        {
            var compressedLength = compressor!.Compress(plaintext, scratch);
            var buffer = ArrayPool<byte>.Shared.Rent(compressedLength + MasterKey.Overhead);
            var length = key.Seal(scratch.AsSpan(0, compressedLength), buffer);
            return new SealedBlob(handle, buffer, length, plaintext.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
