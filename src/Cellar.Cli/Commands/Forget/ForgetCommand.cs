using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Locking;
using Cellar.Repository.Policy;

namespace Cellar.Cli.Commands.Forget;

/// <summary>
/// <c>cellar forget</c>: removes snapshots named by ID, or chosen by a retention policy applied per
/// group, with restic's rules and output. Only snapshot files are removed; unreferenced data stays
/// until it is pruned.
/// </summary>
internal sealed class ForgetCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("forget", "Remove snapshots by ID or by a retention policy (--keep-…)");
        var policyOptions = new ForgetPolicyOptions();
        policyOptions.AddTo(command);
        var hosts = new Option<string[]>("--host") { Description = "Only consider snapshots of this host (repeatable)" };
        var tags = new Option<string[]>("--tag") { Description = "Only consider snapshots with these tags: a,b needs both; repeat for either" };
        var paths = new Option<string[]>("--path") { Description = "Only consider snapshots that include this path (repeatable)" };
        var groupBy = new Option<string>("--group-by", "-g")
        {
            Description = "Group snapshots by host, paths and/or tags, comma-separated ('' for one group)",
            DefaultValueFactory = _ => "host,paths",
        };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be removed, remove nothing" };
        var prune = new Option<bool>("--prune") { Description = "Then remove the data no snapshot references any more, as 'cellar prune' does" };
        var maxUnused = Prune.PruneCommand.MaxUnusedOption();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "Snapshots to remove (IDs or unique prefixes)" };
        foreach (var option in new Option[] { hosts, tags, paths, groupBy, dryRun, prune, maxUnused })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(ids);
        command.SetHandler(globals, CommandLock.Unless(LockMode.Exclusive, dryRun), async context =>
        {
            var pruneAfter = context.Get(prune);
            var pruneLimit = pruneAfter ? Prune.PruneRun.ParseLimit(context.Get(maxUnused)) : null;
            var isDryRun = context.Get(dryRun);
            var policy = policyOptions.Read(context);
            SnapshotGroupBy grouping;
            try
            {
                grouping = SnapshotGroupBy.Parse(context.Get(groupBy) ?? "host,paths");
            }
            catch (FormatException ex)
            {
                throw new UserException(ex.Message, ExitCodes.Usage);
            }

            var named = context.Get(ids) ?? [];
            if (named.Length == 0 && policy.IsEmpty)
            {
                throw new UserException("no policy was specified, no snapshots will be removed; give --keep-… options or snapshot IDs.", ExitCodes.Usage);
            }

            // As restic: under an exclusive lock (no backup or prune may run meanwhile), except for a
            // dry run with --no-lock (the command's declared lock).
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var filter = new SnapshotFilter(context.Get(hosts), context.Get(tags), context.Get(paths));
            var text = !context.Json && !context.Quiet;
            var plan = await SnapshotForgetter.PlanAsync(repository, named, filter, policy, grouping, context.CancellationToken).ConfigureAwait(false);
            var toRemove = plan.ToRemove;
            if (named.Length == 0)
            {
                if (!context.Json)
                {
                    await context.Out.WriteLineAsync($"Applying Policy: {policy}").ConfigureAwait(false);
                }

                if (text)
                {
                    foreach (var group in plan.Groups)
                    {
                        if (group.Key.Header.Length > 0)
                        {
                            await context.Out.WriteLineAsync(group.Key.Header).ConfigureAwait(false);
                        }

                        if (group.Result.Keep.Count > 0)
                        {
                            await context.Out.WriteLineAsync($"keep {group.Result.Keep.Count} snapshots:").ConfigureAwait(false);
                            await context.Out.WriteLineAsync(ForgetTable.Format(group.Result.Keep, group.Result.Reasons)).ConfigureAwait(false);
                        }

                        if (group.Result.Remove.Count > 0)
                        {
                            await context.Out.WriteLineAsync($"remove {group.Result.Remove.Count} snapshots:").ConfigureAwait(false);
                            await context.Out.WriteLineAsync(ForgetTable.Format(group.Result.Remove, null)).ConfigureAwait(false);
                        }
                    }
                }
            }

            var failed = 0;
            if (toRemove.Count > 0)
            {
                if (isDryRun)
                {
                    if (!context.Json)
                    {
                        var list = string.Join(" ", toRemove.Select(s => s.Snapshot.Id).Order().Select(id => id.ToShortString()));
                        await context.Out.WriteLineAsync($"Would have removed the following snapshots:\n{{{list}}}\n").ConfigureAwait(false);
                    }
                }
                else
                {
                    var outcome = await SnapshotForgetter.ForgetAsync(repository, toRemove.Select(s => s.Snapshot), context.CancellationToken).ConfigureAwait(false);
                    failed = outcome.Failed.Count;
                    foreach (var (id, reason) in outcome.Failed)
                    {
                        await context.Error.WriteLineAsync($"unable to remove snapshot/{id} from the repository: {reason}").ConfigureAwait(false);
                    }

                    if (!context.Json && !context.Quiet)
                    {
                        await context.Out.WriteLineAsync($"removed {outcome.Removed.Count} snapshots").ConfigureAwait(false);
                    }
                }
            }

            if (context.Json && plan.Groups.Count > 0)
            {
                await context.Out.WriteLineAsync(ForgetJson.Format(plan.Groups)).ConfigureAwait(false);
            }

            if (failed > 0)
            {
                if (pruneAfter)
                {
                    await context.Error.WriteLineAsync("not pruning: some snapshots could not be removed").ConfigureAwait(false);
                }

                return ExitCodes.Incomplete;
            }

            // As restic: prune runs (under the same exclusive lock) only when snapshots were removed.
            if (pruneAfter && toRemove.Count > 0)
            {
                if (!context.Json && !context.Quiet)
                {
                    await context.Out.WriteLineAsync(isDryRun
                        ? $"{toRemove.Count} snapshots would be removed, running prune dry run"
                        : $"{toRemove.Count} snapshots have been removed, running prune").ConfigureAwait(false);
                }

                var ignored = isDryRun ? toRemove.Select(s => s.Snapshot.Id).ToHashSet() : null;
                return await Prune.PruneRun.RunAsync(context, repository, pruneLimit!, isDryRun, ignored).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
