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

        var lease = compressor!.Rent(plaintext.Length);
        try
        {
            var compressedLength = lease.Compress(plaintext);
            if (compressedLength >= plaintext.Length && handle.Type == BlobType.Data)
            {
                // Incompressible (random, already compressed): stored as is, which the format allows
                // and which spares the restore a pointless decompression.
                var plain = ArrayPool<byte>.Shared.Rent(plaintext.Length + MasterKey.Overhead);
                return new SealedBlob(handle, plain, key.Seal(plaintext, plain), 0);
            }

            var output = ArrayPool<byte>.Shared.Rent(compressedLength + MasterKey.Overhead);
            var sealedLength = key.Seal(lease.Output.AsSpan(0, compressedLength), output);
            return new SealedBlob(handle, output, sealedLength, plaintext.Length);
        }
        finally
        {
            compressor.Return(lease);
        }
    }
}
