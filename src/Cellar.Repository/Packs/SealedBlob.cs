using System.Buffers;

namespace Cellar.Repository.Packs;

/// <summary>A blob compressed (maybe) and encrypted, ready to be appended to a pack; owns a pooled buffer.</summary>
internal sealed class SealedBlob : IDisposable
{
    private byte[]? _buffer;

    public SealedBlob(BlobHandle handle, byte[] buffer, int length, int uncompressedLength)
    {
        Handle = handle;
        _buffer = buffer;
        Length = length;
        UncompressedLength = uncompressedLength;
    }

    public BlobHandle Handle { get; }

    public int Length { get; }

    /// <summary>The plaintext length when compressed, else 0.</summary>
    public int UncompressedLength { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(SealedBlob))).AsSpan(0, Length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
