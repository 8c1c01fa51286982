using System.Runtime.CompilerServices;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Backends;

/// <summary>A memory backend whose next calls fail with queued exceptions, counting every call.</summary>
internal sealed class ScriptedBackend : IBackend
{
    private readonly MemoryBackend _inner = new();
    private readonly Queue<Exception> _failures = new();

    public int Calls { get; private set; }

    /// <summary>For listings: how many files to return before failing.</summary>
    public int ListFailAfter { get; set; }

    public string Location => _inner.Location;

    public void FailNext(params Exception[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }
    }

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Step();
        return _inner.SaveAsync(handle, data, cancellationToken);
    }

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        Step();
        return _inner.LoadAsync(handle, offset, length, cancellationToken);
    }

    public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Step();
        return _inner.StatAsync(handle, cancellationToken);
    }

    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls++;
        var returned = 0;
        await foreach (var file in _inner.ListAsync(type, cancellationToken))
        {
            if (returned == ListFailAfter && _failures.TryDequeue(out var failure))
            {
                throw failure;
            }

            returned++;
            yield return file;
        }
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Step();
        return _inner.RemoveAsync(handle, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Step()
    {
        Calls++;
        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}
