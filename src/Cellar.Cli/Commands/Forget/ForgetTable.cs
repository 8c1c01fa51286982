using System.Globalization;
using System.Text;
using Cellar.Repository.Policy;

namespace Cellar.Cli.Commands.Forget;

/// <summary>restic's snapshot table as <c>forget</c> prints it: oldest first, with the reasons for kept snapshots.</summary>
internal static class ForgetTable
{
    public static string Format(IReadOnlyList<SnapshotCandidate> snapshots, IReadOnlyList<KeepReason<SnapshotCandidate>>? reasons)
    {
        var reasonOf = reasons?.ToDictionary(r => r.Snapshot.Id, r => r.Matches, StringComparer.Ordinal);
        var header = reasonOf is null
            ? new[] { "ID", "Time", "Host", "Tags", "Paths" }
            : ["ID", "Time", "Host", "Tags", "Reasons", "Paths"];
        var rows = new List<string[][]>();
        foreach (var s in snapshots.OrderBy(s => s.Time))
        {
            var cells = new List<string[]>
            {
                new[] { s.Snapshot.Id.ToShortString() },
                new[] { s.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) },
                new[] { s.Hostname },
                new[] { string.Join(",", s.Tags) },
            };
            if (reasonOf is not null)
            {
                cells.Add(reasonOf.TryGetValue(s.Id, out var matches) ? [.. matches] : [""]);
            }

            cells.Add(s.Paths.Count == 0 ? [""] : [.. s.Paths]);
            rows.Add([.. cells]);
        }

        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Max(line => line.Length)))).ToArray();
        var total = widths.Sum() + (2 * (widths.Length - 1));
        var text = new StringBuilder();
        text.AppendLine(Line(header, widths));
        text.AppendLine(new string('-', total));
        var multiline = rows.Any(r => r.Any(cell => cell.Length > 1));
        for (var i = 0; i < rows.Count; i++)
        {
            if (multiline && i > 0)
            {
                text.AppendLine();
            }

            var height = rows[i].Max(cell => cell.Length);
            for (var line = 0; line < height; line++)
            {
                text.AppendLine(Line(rows[i].Select(cell => line < cell.Length ? cell[line] : "").ToArray(), widths));
            }
        }

        text.AppendLine(new string('-', total));
        text.AppendLine(CultureInfo.InvariantCulture, $"{snapshots.Count} snapshots");
        return text.ToString();
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd();
}
