
namespace Cellar.Repository.Chunking;

/// <summary>
/// One content-defined piece of a file, in a pooled buffer owned by whoever holds the chunk:
/// dispose it once its bytes are hashed, compressed and encrypted.
/// </summary>
internal sealed class Chunk : IDisposable
{
    private byte[]? _buffer;

    internal Chunk(byte[] buffer, int length, long offset)
    {
        _buffer = buffer;
        Length = length;
        Offset = offset;
    }

    /// <summary>Where the chunk starts in its file.</summary>
    public long Offset { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(Chunk))).AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(Chunk))).AsMemory(0, Length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ChunkBuffers.Pool.Return(buffer);
        }
    }
}
