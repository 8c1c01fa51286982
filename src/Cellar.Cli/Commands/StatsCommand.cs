using System.CommandLine;
using System.Text;
using Cellar.Cells;
using Cellar.Cli.Repositories;
using Cellar.Repository.Browsing;
using Cellar.Repository.Json;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar stats [SNAPSHOT…] [--mode restore-size|files-by-contents|blobs-per-file|raw-data]</c>:
/// sizes and counts as restic 0.14 computes and prints them (all snapshots the filters keep when
/// none is named).
/// </summary>
internal sealed class StatsCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("stats", "Show sizes and counts of snapshots or of the whole repository");
        var snapshots = new Argument<string[]>("snapshot") { Description = "Snapshot ids or 'latest' (none: every snapshot the filters keep)", Arity = ArgumentArity.ZeroOrMore };
        var mode = new Option<string>("--mode") { Description = "restore-size (default), files-by-contents, blobs-per-file or raw-data", DefaultValueFactory = _ => "restore-size" };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(snapshots);
        command.Options.Add(mode);
        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            var modeName = context.Get(mode) ?? "restore-size";
            var statsMode = modeName switch
            {
                "restore-size" => StatsMode.RestoreSize,
                "files-by-contents" => StatsMode.FilesByContents,
                "blobs-per-file" => StatsMode.BlobsPerFile,
                "raw-data" => StatsMode.RawData,
                _ => throw new UserException($"unknown mode \"{modeName}\": use restore-size, files-by-contents, blobs-per-file or raw-data.", ExitCodes.Usage),
            };
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var selected = await SnapshotSelection.SelectAsync(repository, context.Get(snapshots) ?? [], filter.Read(context), context.CancellationToken).ConfigureAwait(false);
            var collector = new StatsCollector(repository, statsMode);
            if (!context.Json && !context.Quiet)
            {
                await context.Out.WriteLineAsync("scanning...").ConfigureAwait(false);
            }

            foreach (var snapshot in selected)
            {
                await collector.AddAsync(snapshot, context.CancellationToken).ConfigureAwait(false);
            }

            var stats = collector.Result();
            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("total_size"); w.Number(stats.TotalSize);
                w.Name("total_file_count"); w.Number(stats.TotalFileCount);
                if (stats.TotalBlobCount > 0)
                {
                    w.Name("total_blob_count"); w.Number(stats.TotalBlobCount);
                }

                w.Name("snapshots_count"); w.Number((ulong)stats.SnapshotsCount);
                w.EndObject();
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var text = new StringBuilder();
            text.Append("Stats in ").Append(modeName).Append(" mode:\n");
            text.Append("Snapshots processed:   ").Append(stats.SnapshotsCount).Append('\n');
            if (stats.TotalBlobCount > 0)
            {
                text.Append("   Total Blob Count:   ").Append(stats.TotalBlobCount).Append('\n');
            }

            if (stats.TotalFileCount > 0)
            {
                text.Append("   Total File Count:   ").Append(stats.TotalFileCount).Append('\n');
            }

            text.Append("         Total Size:   ").Append(ResticFormat.Pad5(ByteSize.Format(stats.TotalSize)));
            await context.Out.WriteLineAsync(text.ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
