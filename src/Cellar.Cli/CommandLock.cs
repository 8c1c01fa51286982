using System.CommandLine;
using Cellar.Repository.Locking;

namespace Cellar.Cli;

/// <summary>
/// The lock a command declares on the repository it works on, and what <c>--no-lock</c> does to it,
/// as restic's commands take them (cmd/restic/cmd_*.go: openWithReadLock, openWithAppendLock,
/// openWithExclusiveLock). <see cref="CommandRunner"/> resolves it before the command runs (a
/// <c>--no-lock</c> the command cannot honour is a usage error, never ignored) and
/// <see cref="Repositories.RepositoryOpener"/> takes it when the repository opens, before the
/// index is read; it is held until the repository is disposed.
/// </summary>
internal sealed class CommandLock
{
    private readonly Option<bool>? _noLockOnlyWith;

    private CommandLock(LockMode mode, bool noLockAllowed, Option<bool>? noLockOnlyWith = null)
    {
        Mode = mode;
        NoLockAllowed = noLockAllowed;
        _noLockOnlyWith = noLockOnlyWith;
    }

    /// <summary>No repository, or none locked (init, unlock, version, db, bolt, cells, schedule, demo).</summary>
    public static CommandLock None { get; } = new(LockMode.None, noLockAllowed: true);

    /// <summary>Reads the repository (snapshots, ls, restore, find, diff, stats, cat, report, key list): shared, dropped by <c>--no-lock</c>.</summary>
    public static CommandLock Read { get; } = new(LockMode.Shared, noLockAllowed: true);

    /// <summary>Adds to the repository (backup, key add, copy's destination): shared; <c>--no-lock</c> refused.</summary>
    public static CommandLock Append { get; } = new(LockMode.Shared, noLockAllowed: false);

    /// <summary>Removes from the repository (tag, key remove/passwd): exclusive; <c>--no-lock</c> refused.</summary>
    public static CommandLock Exclusive { get; } = new(LockMode.Exclusive, noLockAllowed: false);

    /// <summary>check: exclusive, as restic's (nothing may change what is being checked); <c>--no-lock</c> checks without a lock.</summary>
    public static CommandLock ExclusiveOrNone { get; } = new(LockMode.Exclusive, noLockAllowed: true);

    public LockMode Mode { get; }

    private bool NoLockAllowed { get; }

    /// <summary>
    /// <paramref name="mode"/>, where <c>--no-lock</c> is allowed only together with
    /// <paramref name="readOnlyOption"/> (forget/prune <c>--dry-run</c>, drill <c>--no-save</c>),
    /// which makes the run read-only.
    /// </summary>
    public static CommandLock Unless(LockMode mode, Option<bool> readOnlyOption) => new(mode, noLockAllowed: false, readOnlyOption);

    /// <summary>The lock this run takes: the declared one, or none with an allowed <c>--no-lock</c>.</summary>
    public LockMode Resolve(CommandContext context)
    {
        if (!context.Get(context.Globals.NoLock))
        {
            return Mode;
        }

        if (NoLockAllowed || (_noLockOnlyWith is { } option && context.Get(option)))
        {
            return LockMode.None;
        }

        var name = context.ParseResult.CommandResult.Command.Name;
        throw new UserException(_noLockOnlyWith is { } only
            ? $"--no-lock is only allowed with {only.Name} for {name}: without it, {name} changes the repository and must lock it."
            : $"--no-lock is not allowed for {name}: it changes the repository and must lock it.", ExitCodes.Usage);
    }
}
