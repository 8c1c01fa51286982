using System.CommandLine;
using System.Text;
using Cellar.Cells;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Browsing;
using Cellar.Repository.Json;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar diff SNAPSHOT1 SNAPSHOT2</c>: what changed from the first to the second snapshot, one
/// line per entry with restic's modifiers (+ - M T, U with --metadata) and restic's totals; with
/// <c>--json</c> restic's <c>change</c> and <c>statistics</c> messages. <c>ID:PATH</c> compares one folder.
/// </summary>
internal sealed class DiffCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("diff", "Show what changed between two snapshots");
        var first = new Argument<string>("snapshot1") { Description = "The older snapshot (id, prefix or 'latest'; ID:PATH for one folder)" };
        var second = new Argument<string>("snapshot2") { Description = "The newer snapshot" };
        var metadata = new Option<bool>("--metadata") { Description = "Also show entries whose metadata changed (U)" };
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.Options.Add(metadata);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var (spec1, sub1) = SplitSpec(context.Get(first)!);
            var (spec2, sub2) = SplitSpec(context.Get(second)!);
            var snapshot1 = await repository.FindSnapshotAsync(spec1, context.CancellationToken).ConfigureAwait(false);
            var snapshot2 = await repository.FindSnapshotAsync(spec2, context.CancellationToken).ConfigureAwait(false);
            var tree1 = await FolderAsync(repository, snapshot1, sub1, context.CancellationToken).ConfigureAwait(false);
            var tree2 = await FolderAsync(repository, snapshot2, sub2, context.CancellationToken).ConfigureAwait(false);
            if (!context.Json)
            {
                await context.Out.WriteLineAsync($"comparing snapshot {snapshot1.Id.ToShortString()} to {snapshot2.Id.ToShortString()}:\n").ConfigureAwait(false);
            }

            var lines = new List<string>();
            var differ = new SnapshotDiffer(repository, context.Get(metadata), (modifier, path) =>
            {
                if (context.Quiet)
                {
                    return;
                }

                if (context.Json)
                {
                    var w = new GoJsonWriter();
                    w.StartObject();
                    w.Name("message_type"); w.String("change");
                    w.Name("path"); w.String(path);
                    w.Name("modifier"); w.String(modifier);
                    w.EndObject();
                    lines.Add(Encoding.UTF8.GetString(w.WrittenSpan));
                }
                else
                {
                    lines.Add(ResticFormat.Pad5(modifier) + path);
                }
            });
            var diff = await differ.CompareAsync(tree1, tree2, context.CancellationToken).ConfigureAwait(false);
            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("message_type"); w.String("statistics");
                w.Name("source_snapshot"); w.String(context.Get(first)!);
                w.Name("target_snapshot"); w.String(context.Get(second)!);
                w.Name("changed_files"); w.Number((ulong)diff.ChangedFiles);
                w.Name("added"); Counts(w, diff.Added);
                w.Name("removed"); Counts(w, diff.Removed);
                w.EndObject();
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var a = diff.Added;
            var r = diff.Removed;
            await context.Out.WriteLineAsync().ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Files:       {a.Files,5} new, {r.Files,5} removed, {diff.ChangedFiles,5} changed").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Dirs:        {a.Dirs,5} new, {r.Dirs,5} removed").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Others:      {a.Others,5} new, {r.Others,5} removed").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Data Blobs:  {a.DataBlobs,5} new, {r.DataBlobs,5} removed").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Tree Blobs:  {a.TreeBlobs,5} new, {r.TreeBlobs,5} removed").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  Added:   {ResticFormat.Pad5(ByteSize.Format(a.Bytes))}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  Removed: {ResticFormat.Pad5(ByteSize.Format(r.Bytes))}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Counts(GoJsonWriter w, DiffCounts c)
    {
        w.StartObject();
        w.Name("files"); w.Number((ulong)c.Files);
        w.Name("dirs"); w.Number((ulong)c.Dirs);
        w.Name("others"); w.Number((ulong)c.Others);
        w.Name("data_blobs"); w.Number((ulong)c.DataBlobs);
        w.Name("tree_blobs"); w.Number((ulong)c.TreeBlobs);
        w.Name("bytes"); w.Number(c.Bytes);
        w.EndObject();
    }

    private static (string Spec, string? Sub) SplitSpec(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
    }

    private static async Task<Repository.Id> FolderAsync(ResticRepository repository, Repository.Model.Snapshot snapshot, string? sub, CancellationToken cancellationToken)
    {
        var tree = snapshot.Tree ?? throw new UserException($"snapshot {snapshot.Id.ToShortString()} has no tree; the repository is damaged.");
        return await SnapshotFolders.FindAsync(repository, tree, sub ?? "", cancellationToken).ConfigureAwait(false)
               ?? throw new UserException($"{sub} is not a folder in snapshot {snapshot.Id.ToShortString()}.");
    }
}
