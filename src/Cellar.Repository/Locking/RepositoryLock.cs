using Cellar.Repository.Json;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Locking;

/// <summary>
/// A restic-compatible lock: a file in <c>locks/</c> that other restic and Cellar processes
/// respect. Shared locks (backup) coexist; an exclusive lock (prune) excludes all others. Stale
/// locks (restic's rule) are ignored. The lock is refreshed every 5 minutes (a new file, then the
/// old one removed, as restic does) and removed on dispose.
/// A program takes the lock its command needs once, for the repository's lifetime
/// (<see cref="ResticRepository.LockAsync"/>); operations that change the repository call
/// <see cref="EnsureAsync"/>, which reuses that lock, or takes one for the operation alone when the
/// repository is used without one (tests, library use). A stronger lock than the one held is taken
/// beside it (our own lock never conflicts with us): a shared backup may rewrite its own snapshot.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryFirstWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryMaxWait = TimeSpan.FromMinutes(1);

    private readonly ResticRepository _repository;
    private readonly bool _exclusive;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private Id _fileId;
    private Task _refresher = Task.CompletedTask;

    private RepositoryLock(ResticRepository repository, bool exclusive)
    {
        _repository = repository;
        _exclusive = exclusive;
    }

    /// <summary>The lock file's id (changes on every refresh).</summary>
    public Id FileId => _fileId;

    /// <summary>
    /// The lock <paramref name="needed"/> for one operation: nothing to release when the repository
    /// already holds a lock at least that strong, else a lock of its own, released on dispose.
    /// </summary>
    public static async Task<IAsyncDisposable> EnsureAsync(ResticRepository repository, LockMode needed, CancellationToken cancellationToken)
    {
        if (needed <= repository.HeldLock)
        {
            return NothingHeld.Instance;
        }

        return await AcquireAsync(repository, needed == LockMode.Exclusive, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes a lock. While a live lock conflicts, tries again until <see cref="ResticRepository.LockRetry"/>
    /// has passed (restic's <c>--retry-lock</c>: waits growing from 5 s to at most a minute), then
    /// throws <see cref="RepositoryLockedException"/>.
    /// </summary>
    public static async Task<RepositoryLock> AcquireAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + repository.LockRetry;
        var wait = RetryFirstWait;
        while (true)
        {
            try
            {
                return await TryAcquireAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
            }
            catch (RepositoryLockedException ex) when (repository.LockRetry > TimeSpan.Zero)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new RepositoryLockedException(ex.Holder, repository.LockRetry);
                }

                await Task.Delay(wait < left ? wait : left, cancellationToken).ConfigureAwait(false);
                wait = wait * 2 < RetryMaxWait ? wait * 2 : RetryMaxWait;
            }
        }
    }

    private static async Task<RepositoryLock> TryAcquireAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        var result = new RepositoryLock(repository, exclusive);
        await result.CheckConflictsAsync(ignore: null, cancellationToken).ConfigureAwait(false);
        result._fileId = await result.WriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Two processes may have checked at the same moment: look again now that ours is visible.
            await result.CheckConflictsAsync(result._fileId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await repository.Backend.RemoveAsync(new FileHandle(FileType.Lock, result._fileId.ToString()), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        result._refresher = Task.Run(() => result.RefreshLoopAsync(result._stop.Token), CancellationToken.None);
        return result;
    }

    /// <summary>Every lock file in the repository with its content (unreadable ones skipped).</summary>
    public static async Task<List<(Id Id, LockRecord Lock)>> ListAsync(ResticRepository repository, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Lock, cancellationToken).ConfigureAwait(false))
        {
            names.Add(file.Name);
        }

        var result = new List<(Id, LockRecord)>();
        foreach (var name in names)
        {
            if (!Id.TryParse(name, out var id))
            {
                continue;
            }

            try
            {
                var json = await repository.LoadUnpackedAsync(FileType.Lock, id, cancellationToken).ConfigureAwait(false);
                result.Add((id, LockRecord.Parse(json)));
            }
            catch (Exception ex) when (ex is IOException or RepositoryCorruptException)
            {
                // Removed meanwhile (a refresh) or written by a foreign key: not a lock we can judge.
            }
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _refresher.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            await _repository.Backend.RemoveAsync(new FileHandle(FileType.Lock, _fileId.ToString()), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A lock left behind becomes stale; nothing else depends on its removal.
        }
        finally
        {
            _mutex.Release();
        }

        _stop.Dispose();
        _mutex.Dispose();
    }

    private async Task CheckConflictsAsync(Id? ignore, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.Now;
        var host = HostIdentity.Hostname;
        foreach (var (id, other) in await ListAsync(_repository, cancellationToken).ConfigureAwait(false))
        {
            if (id == ignore || id == _repository.HeldLockFileId || other.IsStale(now, host))
            {
                continue;
            }

            if (_exclusive || other.Exclusive)
            {
                throw new RepositoryLockedException(other);
            }
        }
    }

    private async Task<Id> WriteAsync(CancellationToken cancellationToken)
    {
        var record = new LockRecord(
            GoTime.FromDateTimeOffset(DateTimeOffset.Now),
            _exclusive,
            HostIdentity.Hostname,
            Environment.UserName,
            Environment.ProcessId,
            Platform.Posix.IsSupported ? Platform.Posix.EffectiveUserId : 0,
            Platform.Posix.IsSupported ? Platform.Posix.EffectiveGroupId : 0);
        return await _repository.SaveUnpackedAsync(FileType.Lock, record.ToJson(), cancellationToken).ConfigureAwait(false);
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(RefreshInterval, cancellationToken).ConfigureAwait(false);
            await _mutex.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var old = _fileId;
                _fileId = await WriteAsync(cancellationToken).ConfigureAwait(false);
                await _repository.Backend.RemoveAsync(new FileHandle(FileType.Lock, old.ToString()), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Try again at the next interval; the old file still protects us until it is stale.
            }
            finally
            {
                _mutex.Release();
            }
        }
    }

    private sealed class NothingHeld : IAsyncDisposable
    {
        public static readonly NothingHeld Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
