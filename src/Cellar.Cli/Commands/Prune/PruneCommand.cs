using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Locking;

namespace Cellar.Cli.Commands.Prune;

/// <summary>
/// <c>cellar prune</c>: removes data no snapshot needs, as restic's prune does, under an exclusive
/// lock and in an order that keeps the repository valid if interrupted.
/// </summary>
internal sealed class PruneCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("prune", "Remove data no snapshot references (takes an exclusive lock)");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be removed and repacked, change nothing" };
        var maxUnused = MaxUnusedOption();
        command.Options.Add(dryRun);
        command.Options.Add(maxUnused);
        command.SetHandler(globals, CommandLock.Unless(LockMode.Exclusive, dryRun), async context =>
        {
            var limit = PruneRun.ParseLimit(context.Get(maxUnused));
            // Opened under the exclusive lock the command declares; PruneRun loads the index.
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            return await PruneRun.RunAsync(context, repository, limit, context.Get(dryRun)).ConfigureAwait(false);
        });
        return command;
    }

    internal static Option<string> MaxUnusedOption() => new("--max-unused")
    {
        Description = "Tolerate this much unused space in partly used packs: a percentage of the used size (default 5%), a size (100M, 2G) or 'unlimited'",
    };
}
