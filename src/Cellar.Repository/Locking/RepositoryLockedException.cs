namespace Cellar.Repository.Locking;

/// <summary>Another process holds a lock that conflicts with the one asked for (also after retrying for <see cref="RetriedFor"/>).</summary>
public sealed class RepositoryLockedException(LockRecord holder, TimeSpan retriedFor = default)
    : InvalidOperationException(
        $"The repository is in use: {holder}" + (retriedFor > TimeSpan.Zero ? $" (still after waiting {retriedFor})" : "") +
        ". Wait until that operation ends (or pass --retry-lock 10m to wait); if that process no longer runs, remove its lock with 'cellar unlock'.")
{
    public LockRecord Holder { get; } = holder;

    public TimeSpan RetriedFor { get; } = retriedFor;
}
