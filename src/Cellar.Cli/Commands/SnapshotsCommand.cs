using System.CommandLine;
using System.Globalization;
using Cellar.Cli.Repositories;
using Cellar.Repository.Json;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar snapshots</c>: lists snapshots as a table or, with --json, as restic's JSON.</summary>
internal sealed class SnapshotsCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("snapshots", "List the snapshots in the repository");
        var filter = new SnapshotFilterOptions();
        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var snapshots = await repository.ListSnapshotsAsync(context.CancellationToken, filter.Read(context)).ConfigureAwait(false);
            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartArray();
                foreach (var snapshot in snapshots)
                {
                    snapshot.WriteTo(w, includeId: true);
                }

                w.EndArray();
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(FormatTable(snapshots)).ConfigureAwait(false);
                await context.Out.WriteAsync(DrillMarks.Format(snapshots)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static string FormatTable(IReadOnlyList<Snapshot> snapshots)
    {
        var rows = new List<string[]> { new[] { "ID", "Time", "Host", "Tags", "Paths" } };
        var extraLines = new List<(int Row, string[] Cells)>();
        foreach (var s in snapshots)
        {
            var time = s.Time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var tags = s.Tags ?? [];
            var paths = s.Paths ?? [];
            rows.Add([s.Id.ToShortString(), time, s.Hostname ?? "", tags.FirstOrDefault() ?? "", paths.FirstOrDefault() ?? ""]);
            for (var i = 1; i < Math.Max(tags.Count, paths.Count); i++)
            {
                rows.Add(["", "", "", i < tags.Count ? tags[i] : "", i < paths.Count ? paths[i] : ""]);
            }
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((cell, c) => c == 4 ? cell : cell.PadRight(widths[c]))).TrimEnd()).ToList();
        var rule = new string('-', Math.Max(lines.Max(l => l.Length), 10));
        var text = new System.Text.StringBuilder();
        text.AppendLine(lines[0]).AppendLine(rule);
        foreach (var line in lines.Skip(1))
        {
            text.AppendLine(line);
        }

        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"{snapshots.Count} snapshots");
        return text.ToString();
    }
}
