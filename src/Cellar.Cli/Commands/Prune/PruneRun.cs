using System.Globalization;
using Cellar.Cells;
using Cellar.Repository;
using Cellar.Repository.Pruning;

namespace Cellar.Cli.Commands.Prune;

/// <summary>
/// Plans and (unless a dry run) executes a prune on a repository the caller has locked exclusively
/// and whose index it loaded after locking; prints restic's kind of summary. Shared by
/// <c>prune</c> and <c>forget --prune</c>.
/// </summary>
internal static class PruneRun
{
    public static MaxUnusedLimit ParseLimit(string? text)
    {
        try
        {
            return text is null ? MaxUnusedLimit.Default : MaxUnusedLimit.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new UserException(ex.Message, ExitCodes.Usage);
        }
    }

    public static async Task<int> RunAsync(CommandContext context, ResticRepository repository, MaxUnusedLimit limit, bool dryRun, IReadOnlySet<Repository.Id>? ignoreSnapshots = null)
    {
        var text = !context.Quiet;
        var o = context.Out;
        void Log(string line)
        {
            if (text)
            {
                o.WriteLine(line);
            }
        }

        Log("loading indexes...");
        await repository.LoadIndexAsync(context.CancellationToken).ConfigureAwait(false);
        var plan = await PrunePlanner.PlanAsync(repository, limit, Log, context.CancellationToken, ignoreSnapshots).ConfigureAwait(false);
        var s = plan.Statistics;
        if (text)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync($"used:         {s.UsedBlobs,10} blobs / {ByteSize.Format(s.UsedSize)}").ConfigureAwait(false);
            if (s.DuplicateBlobs > 0)
            {
                await o.WriteLineAsync($"duplicates:   {s.DuplicateBlobs,10} blobs / {ByteSize.Format(s.DuplicateSize)}").ConfigureAwait(false);
            }

            await o.WriteLineAsync($"unused:       {s.UnusedBlobs,10} blobs / {ByteSize.Format(s.UnusedSize)}").ConfigureAwait(false);
            if (s.UnreferencedSize > 0)
            {
                await o.WriteLineAsync($"unreferenced:                    {ByteSize.Format(s.UnreferencedSize)}").ConfigureAwait(false);
            }

            await o.WriteLineAsync($"to repack:    {s.RepackBlobs,10} blobs / {ByteSize.Format(s.RepackSize)}").ConfigureAwait(false);
            await o.WriteLineAsync($"this removes: {s.RepackRemoveBlobs,10} blobs / {ByteSize.Format(s.RepackRemoveSize)}").ConfigureAwait(false);
            await o.WriteLineAsync($"to delete:    {s.RemoveBlobs,10} blobs / {ByteSize.Format(s.RemoveSize + s.UnreferencedSize)}").ConfigureAwait(false);
            await o.WriteLineAsync($"total prune:  {s.RemoveBlobs + s.RepackRemoveBlobs,10} blobs / {ByteSize.Format(s.FreedSize)}").ConfigureAwait(false);
            await o.WriteLineAsync($"remaining:    {s.UsedBlobs + s.DuplicateBlobs + s.UnusedBlobs - s.RemoveBlobs - s.RepackRemoveBlobs,10} blobs / {ByteSize.Format(s.RemainingSize)}").ConfigureAwait(false);
            var share = s.RemainingSize > 0 ? 100.0 * s.UnusedAfter / s.RemainingSize : 0;
            await o.WriteLineAsync($"unused size after prune: {ByteSize.Format(s.UnusedAfter)} ({share.ToString("0.00", CultureInfo.InvariantCulture)}% of remaining size)").ConfigureAwait(false);
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync($"totally used packs: {s.PacksUsed,6}").ConfigureAwait(false);
            await o.WriteLineAsync($"partly used packs:  {s.PacksPartlyUsed,6}").ConfigureAwait(false);
            await o.WriteLineAsync($"unused packs:       {s.PacksUnused,6}").ConfigureAwait(false);
            if (s.PacksUnreferenced > 0)
            {
                await o.WriteLineAsync($"unreferenced packs: {s.PacksUnreferenced,6}").ConfigureAwait(false);
            }

            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync($"to keep:      {s.PacksKeep,6} packs").ConfigureAwait(false);
            await o.WriteLineAsync($"to repack:    {s.PacksRepack,6} packs").ConfigureAwait(false);
            await o.WriteLineAsync($"to delete:    {s.PacksRemove + s.PacksUnreferenced,6} packs").ConfigureAwait(false);
        }

        if (dryRun)
        {
            if (text)
            {
                await WriteIdsAsync(o, "Would have removed the following unreferenced packs:", plan.RemoveUnreferenced).ConfigureAwait(false);
                await WriteIdsAsync(o, "Would have repacked and removed the following packs:", plan.Repack).ConfigureAwait(false);
                await WriteIdsAsync(o, "Would have removed the following no longer used packs:", plan.Remove).ConfigureAwait(false);
                await o.WriteLineAsync($"Would have freed {ByteSize.Format(s.FreedSize)}.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        if (!plan.HasWork)
        {
            Log("nothing to prune");
            return ExitCodes.Success;
        }

        var outcome = await Pruner.ExecuteAsync(repository, plan, Log, context.CancellationToken).ConfigureAwait(false);
        Log("done");
        return outcome.Warnings > 0 ? ExitCodes.Incomplete : ExitCodes.Success;
    }

    private static async Task WriteIdsAsync(TextWriter o, string title, IEnumerable<Repository.Id> ids)
    {
        var list = ids.Order().ToList();
        if (list.Count == 0)
        {
            return;
        }

        await o.WriteLineAsync(title).ConfigureAwait(false);
        foreach (var id in list)
        {
            await o.WriteLineAsync($"  {id}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
    }
}
