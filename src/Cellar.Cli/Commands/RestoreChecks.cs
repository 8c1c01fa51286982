using System.CommandLine;
using System.Text;
using Cellar.Repository.Json;
using Cellar.Repository.Restoring;

namespace Cellar.Cli.Commands;

/// <summary>
/// restic 0.17's restore options for a restore into a folder: <c>--dry-run</c> (what would happen,
/// nothing written), <c>--overwrite always|if-changed|if-newer|never</c>, <c>--delete</c> (remove
/// what the snapshot does not hold) and <c>--verify</c> (read every restored file back).
/// </summary>
internal sealed class RestoreChecks
{
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "With --target: only show what would be restored, updated, left or deleted" };
    public Option<string> OverwriteOption { get; } = new("--overwrite") { Description = "With --target: always (default), if-changed (same size and time: kept), if-newer, or never", DefaultValueFactory = _ => "always" };
    public Option<bool> Delete { get; } = new("--delete") { Description = "With --target: delete files and folders the snapshot does not hold (where the filters restore)" };
    public Option<bool> Verify { get; } = new("--verify") { Description = "With --target: read every restored file back and check it against the snapshot" };

    /// <summary>The options of a restore into a folder only (refused without --target).</summary>
    public IReadOnlyList<Option> Options => [DryRun, OverwriteOption, Delete, Verify];

    public void AddTo(Command command)
    {
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
    }

    public OverwriteMode Overwrite(CommandContext context) => OverwritePolicy.Parse(context.Get(OverwriteOption) ?? "always");

    public async Task<int> DryRunAsync(CommandContext context, TargetReview review)
    {
        var actions = (await review.PlanAsync(context.CancellationToken).ConfigureAwait(false)).ToList();
        if (context.Get(Delete))
        {
            actions.AddRange((await review.ExtraEntriesAsync(context.CancellationToken).ConfigureAwait(false)).Select(l => new RestoreAction("deleted", l, 0)));
        }

        foreach (var action in actions)
        {
            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("message_type"); w.String("verbose_status");
                w.Name("action"); w.String(action.Action);
                w.Name("item"); w.String(action.Location);
                w.Name("size"); w.Number(action.Size);
                w.EndObject();
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
            }
            else if (!context.Quiet)
            {
                await context.Out.WriteLineAsync($"{action.Action,-9} {action.Location}").ConfigureAwait(false);
            }
        }

        int Count(string what) => actions.Count(a => a.Action == what);
        var bytes = (ulong)actions.Where(a => a.Action is "restored" or "updated").Sum(a => (long)a.Size);
        if (!context.Json)
        {
            await context.Out.WriteLineAsync(
                $"dry run: would restore {Count("restored")}, update {Count("updated")}, leave {Count("unchanged")} unchanged and delete {Count("deleted")} entries ({ResticFormat.Bytes(bytes)}); nothing was written").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>--delete, then --verify, after a restore; false when verification found a difference.</summary>
    public async Task<bool> AfterRestoreAsync(CommandContext context, TargetReview review)
    {
        if (context.Get(Delete))
        {
            var extra = await review.ExtraEntriesAsync(context.CancellationToken).ConfigureAwait(false);
            review.Delete(extra);
            if (!context.Json && !context.Quiet)
            {
                await context.Out.WriteLineAsync($"deleted {extra.Count} entries the snapshot does not hold").ConfigureAwait(false);
            }
        }

        if (!context.Get(Verify))
        {
            return true;
        }

        var (files, errors) = await review.VerifyAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var error in errors)
        {
            await context.Error.WriteLineAsync($"verify: {error}").ConfigureAwait(false);
        }

        if (!context.Json && !context.Quiet)
        {
            await context.Out.WriteLineAsync($"verified {files} files: {(errors.Count == 0 ? "all equal to the snapshot" : $"{errors.Count} differ")}").ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"cellar: {errors.Count} restored files differ from the snapshot (listed above); restore them again.").ConfigureAwait(false);
        }

        return errors.Count == 0;
    }
}
