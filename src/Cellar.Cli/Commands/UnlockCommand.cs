using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Locking;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar unlock [--remove-all]</c>, as restic's: removes the stale locks (older than 30 minutes,
/// or made on this host by a process that is gone); with <c>--remove-all</c> every lock, also live ones.
/// </summary>
internal sealed class UnlockCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("unlock", "Remove stale locks left by processes that ended without cleaning up");
        var removeAll = new Option<bool>("--remove-all") { Description = "Remove all locks, even those of running processes" };
        command.Options.Add(removeAll);
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var all = context.Get(removeAll);
            var removed = await RepositoryLock.RemoveAsync(repository, all, context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                await context.Out.WriteLineAsync($"{{\"removed\":{removed}}}").ConfigureAwait(false);
            }
            else if (!context.Quiet)
            {
                await context.Out.WriteLineAsync(removed == 0
                    ? (all ? "no locks to remove" : "no stale locks to remove (pass --remove-all to remove live ones too)")
                    : $"successfully removed {removed} {(removed == 1 ? "lock" : "locks")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
