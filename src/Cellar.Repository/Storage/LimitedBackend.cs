using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Storage;

/// <summary>
/// Bounds how many saves, loads and metadata operations (stat, list, remove) run at once against
/// the backend it wraps, so a busy pipeline cannot open unbounded connections or file handles.
/// </summary>
internal sealed class LimitedBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly SemaphoreSlim _saves;
    private readonly SemaphoreSlim _loads;
    private readonly SemaphoreSlim _metadata;

    public LimitedBackend(IBackend inner, BackendLimits limits)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.Saves, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.Loads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.Metadata, 1);
        _inner = inner;
        _saves = new SemaphoreSlim(limits.Saves, limits.Saves);
        _loads = new SemaphoreSlim(limits.Loads, limits.Loads);
        _metadata = new SemaphoreSlim(limits.Metadata, limits.Metadata);
    }

    public string Location => _inner.Location;

    public int ReadConcurrency => _inner.ReadConcurrency;

    public IBackend Inner => _inner;

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _saves.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.SaveAsync(handle, data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saves.Release();
        }
    }

    public async Task SaveAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        await _saves.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.SaveAsync(handle, source, length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saves.Release();
        }
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        await _loads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.LoadAsync(handle, offset, length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loads.Release();
        }
    }

    public async ValueTask<int> ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await _loads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.ReadAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loads.Release();
        }
    }

    public async Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _metadata.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.StatAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metadata.Release();
        }
    }

    /// <summary>A listing holds one metadata slot while it runs.</summary>
    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _metadata.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var file in _inner.ListAsync(type, cancellationToken).ConfigureAwait(false))
            {
                yield return file;
            }
        }
        finally
        {
            _metadata.Release();
        }
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _metadata.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metadata.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _saves.Dispose();
        _loads.Dispose();
        _metadata.Dispose();
    }
}
