using Cellar.Repository.Index;

namespace Cellar.Repository.Packs;

/// <summary>A complete pack file in a pooled buffer, with its id and the blobs it holds.</summary>
internal sealed class FinishedPack(Id id, byte[] buffer, int length, PackedBlob[] blobs) : IDisposable
{
    private byte[]? _buffer = buffer;

    public Id Id { get; } = id;

    public int Length { get; } = length;

    public IReadOnlyList<PackedBlob> Blobs { get; } = blobs;

    public ReadOnlyMemory<byte> Data => (_buffer ?? throw new ObjectDisposedException(nameof(FinishedPack))).AsMemory(0, Length);

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            PackWriter.ReturnBuffer(b);
        }
    }
}
