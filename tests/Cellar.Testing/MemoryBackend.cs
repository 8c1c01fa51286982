using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cellar.Repository.Storage;

namespace Cellar.Testing;

/// <summary>
/// A backend in memory, following the same contract as the real ones (it passes the conformance
/// suite), for tests of code above the backend: wrappers, retention, commands.
/// </summary>
public sealed class MemoryBackend : IBackend
{
    private readonly ConcurrentDictionary<FileHandle, byte[]> _files = new();

    public string Location => "memory:";

    public IReadOnlyCollection<FileHandle> Files => _files.Keys.ToList();

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var bytes = data.ToArray();
        var stored = _files.GetOrAdd(handle, bytes);
        if (!ReferenceEquals(stored, bytes) && !stored.AsSpan().SequenceEqual(bytes))
        {
            throw new StorageException($"{handle} already exists with other content.", isTransient: false);
        }

        return Task.CompletedTask;
    }

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(handle, out var bytes))
        {
            throw new FileNotFoundException($"{handle} does not exist.", handle.ToString());
        }

        var count = length == 0 ? bytes.Length - offset : length;
        if (offset > bytes.Length || offset + count > bytes.Length)
        {
            throw new StorageException($"{handle} is shorter than expected.", isTransient: false);
        }

        return Task.FromResult(bytes.AsSpan(checked((int)offset), checked((int)count)).ToArray());
    }

    public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue(handle, out var bytes) ? (long?)bytes.Length : null);

    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var (handle, bytes) in _files.Where(f => f.Key.Type == type).OrderBy(f => f.Key.Name, StringComparer.Ordinal))
        {
            yield return new RemoteFile(handle.Type == FileType.Config ? "config" : handle.Name, bytes.Length);
        }
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        _files.TryRemove(handle, out _);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
