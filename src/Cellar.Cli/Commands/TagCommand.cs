using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Tagging;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar tag [--add T] [--remove T] [--set T] [SNAPSHOT…]</c>: changes tags as restic does
/// (the snapshot is saved anew with its first id in <c>original</c>, the old file removed).
/// </summary>
internal sealed class TagCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("tag", "Add, remove or replace the tags of snapshots");
        var snapshots = new Argument<string[]>("snapshot") { Description = "Snapshot ids or 'latest' (none: every snapshot the filters keep)", Arity = ArgumentArity.ZeroOrMore };
        var add = new Option<string[]>("--add") { Description = "Tags to add (repeatable; a,b adds both)" };
        var remove = new Option<string[]>("--remove") { Description = "Tags to remove (repeatable; a,b removes both)" };
        var set = new Option<string[]>("--set") { Description = "Replace all tags with these (repeatable; --set '' removes all)" };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(snapshots);
        command.Options.Add(add);
        command.Options.Add(remove);
        command.Options.Add(set);
        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Exclusive, async context =>
        {
            var change = new TagChange(Split(context.Get(set)), Split(context.Get(add)), Split(context.Get(remove)));
            if (change.Set.Count == 0 && change.Add.Count == 0 && change.Remove.Count == 0)
            {
                throw new UserException("nothing to do: give --add, --remove or --set.", ExitCodes.Usage);
            }

            if (change.Set.Count > 0 && (change.Add.Count > 0 || change.Remove.Count > 0))
            {
                throw new UserException("--set and --add/--remove cannot be given at the same time.", ExitCodes.Usage);
            }

            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var selected = await SnapshotSelection.SelectAsync(repository, context.Get(snapshots) ?? [], filter.Read(context), context.CancellationToken).ConfigureAwait(false);
            var changed = await SnapshotTagger.ApplyAsync(repository, selected, change, context.CancellationToken).ConfigureAwait(false);
            if (!context.Json && !context.Quiet)
            {
                await context.Out.WriteLineAsync(changed.Count == 0 ? "no snapshots were modified" : $"modified tags on {changed.Count} snapshots").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>restic's tag lists: each value may hold several tags separated by commas; <c>--set ''</c> is one empty tag (no tags).</summary>
    private static List<string> Split(string[]? values)
    {
        var result = new List<string>();
        foreach (var value in values ?? [])
        {
            if (value.Length == 0)
            {
                result.Add("");
                continue;
            }

            result.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return result;
    }
}
