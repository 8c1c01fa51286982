namespace Cellar.Repository.Locking;

/// <summary>Another process holds a lock that conflicts with the one asked for.</summary>
public sealed class RepositoryLockedException(LockRecord holder)
    : InvalidOperationException($"The repository is in use: {holder}. Wait until that operation ends; if that process no longer runs, remove its lock with 'restic unlock'.")
{
    public LockRecord Holder { get; } = holder;
}
