using System.Globalization;
using Cellar.Cells.Drill;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary>For <c>cellar snapshots</c>: when each Cells snapshot was last proven by a drill, and its time to recover (read from the drill snapshots' tags).</summary>
internal static class DrillMarks
{
    public static string Format(IReadOnlyList<Snapshot> snapshots)
    {
        var drills = snapshots.Where(s => s.Tags?.Contains(DrillTags.Tag) == true).OrderByDescending(s => s.Time.ToDateTimeOffset()).ToList();
        var cells = snapshots.Where(s => s.Tags?.Contains("cells") == true && s.Tags?.Contains(DrillTags.Tag) != true).ToList();
        if (cells.Count == 0)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        text.AppendLine("Cells snapshots and their last drill:");
        foreach (var snapshot in cells)
        {
            var id = snapshot.Id.ToShortString();
            var drill = drills.FirstOrDefault(d => d.Tags!.Contains(DrillTags.DrilledPrefix + id));
            if (drill is null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {id}  never drilled (run: cellar drill {id})");
                continue;
            }

            var when = drill.Time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var outcome = drill.Tags!.Contains("passed") ? "proven" : "FAILED";
            var recover = drill.Tags!.FirstOrDefault(t => t.StartsWith(DrillTags.RecoverPrefix, StringComparison.Ordinal))?[DrillTags.RecoverPrefix.Length..];
            text.AppendLine(CultureInfo.InvariantCulture, $"  {id}  {outcome} {when}, restore time {recover ?? "?"} (drill {drill.Id.ToShortString()})");
        }

        return text.ToString();
    }
}
