using System.Collections.Concurrent;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>A real backend with every pack read (offset and length) recorded, to see how a restore reads.</summary>
internal sealed class CountingBackend(IBackend inner) : IBackend
{
    public ConcurrentQueue<(string Pack, long Offset, int Length)> PackReads { get; } = new();

    public string Location => inner.Location;

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.SaveAsync(handle, data, cancellationToken);

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        Record(handle, offset, length);
        return inner.LoadAsync(handle, offset, length, cancellationToken);
    }

    public ValueTask<int> ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Record(handle, offset, destination.Length);
        return inner.ReadAsync(handle, offset, destination, cancellationToken);
    }

    public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken) => inner.StatAsync(handle, cancellationToken);

    public IAsyncEnumerable<RemoteFile> ListAsync(FileType type, CancellationToken cancellationToken) => inner.ListAsync(type, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) => inner.RemoveAsync(handle, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Record(FileHandle handle, long offset, int length)
    {
        if (handle.Type == FileType.Pack)
        {
            PackReads.Enqueue((handle.Name, offset, length));
        }
    }
}
