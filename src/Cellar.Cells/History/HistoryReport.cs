using System.Globalization;
using System.Text;
using static Cellar.Cells.History.SvgChart;

namespace Cellar.Cells.History;

/// <summary>
/// The repository's history as one self-contained HTML page for a person: charts drawn as inline
/// SVG, styles inline, no script and nothing fetched at view time.
/// </summary>
public static class HistoryReport
{
    public static string Render(RepositoryHistory history, string repositoryName)
    {
        var backups = history.Backups;
        var times = backups.Select(b => b.Time).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>Cellar report: {Html(repositoryName)}</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}h1{font-size:1.5em}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}.warn{color:#a40000}.ok{color:#1a7f37}.chart{margin:1em 0}")
            .Append(".legend span{margin-right:1.2em}.legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Cellar report: {Html(repositoryName)}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Read {history.ReadAt:yyyy-MM-dd HH:mm} UTC. {backups.Count} backup(s), {history.Drills.Count} drill(s)");
        if (history.StoredBytes is { } stored)
        {
            html.Append(CultureInfo.InvariantCulture, $", {ByteSize.Format(stored)} stored in the repository");
        }

        html.Append(".</p>\n");

        var warnings = history.Warnings();
        html.Append("<h2 id=\"warnings\">Warnings</h2>");
        if (warnings.Count == 0)
        {
            html.Append("<p class=\"ok\">None: every backup is complete and the drills passed.</p>");
        }
        else
        {
            html.Append("<ul class=\"warn\">");
            foreach (var warning in warnings)
            {
                html.Append("<li>").Append(Html(warning)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("\n<h2 id=\"backups\">Backups over time</h2>");
        html.Append(Draw("chart-size", "Size: data added by each backup (bars) and the snapshot's total (line)", times, ByteSize.Format,
            new Series("added", "#4e79a7", backups.Select(b => (double?)b.BytesAdded).ToList()),
            new Series("snapshot total", "#f28e2b", backups.Select(b => (double?)b.BytesProcessed).ToList(), Line: true)));
        html.Append(Draw("chart-dedup", "Deduplication: bytes of all snapshots so far ÷ bytes they added", times, v => v.ToString("0.0", CultureInfo.InvariantCulture) + "×",
            new Series("dedup ratio", "#59a14f", history.DedupRatios(), Line: true)));
        html.Append(Draw("chart-time", "Duration of each backup and how long Cells was stopped", times, Seconds,
            new Series("duration", "#76b7b2", backups.Select(b => b.DurationSeconds).ToList()),
            new Series("downtime", "#e15759", backups.Select(b => b.DowntimeSeconds).ToList())));

        html.Append("\n<h2 id=\"drills\">Recovery drills</h2>");
        var drills = history.Drills;
        html.Append(Draw("chart-drills", "Time to restore measured by each drill", drills.Select(d => d.Time).ToList(), Seconds,
            new Series("restore time (passed)", "#1a7f37", drills.Select(d => d.Passed ? d.RecoverSeconds : null).ToList()),
            new Series("restore time (FAILED)", "#a40000", drills.Select(d => d.Passed ? null : (double?)(d.RecoverSeconds ?? 0)).ToList())));
        if (drills.Count > 0)
        {
            html.Append("<table><tr><th>Drill</th><th>When (UTC)</th><th>Snapshot</th><th>Result</th><th>Restore time</th></tr>");
            foreach (var drill in drills.AsEnumerable().Reverse())
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Html(drill.Id)}</td><td>{drill.Time:yyyy-MM-dd HH:mm}</td><td>{Html(drill.Drilled ?? "?")}</td><td class=\"{(drill.Passed ? "ok" : "warn")}\">{(drill.Passed ? "passed" : "FAILED")}</td><td>{(drill.RecoverSeconds is { } r ? Seconds(r) : "?")}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("\n<h2 id=\"retention\">Retention</h2><p>What the repository keeps, per host and paths (restic's default grouping).</p>");
        html.Append("<table><tr><th>Host</th><th>Paths</th><th>Snapshots</th><th>Oldest (UTC)</th><th>Newest (UTC)</th></tr>");
        foreach (var group in backups.GroupBy(b => (b.Host, Paths: string.Join(", ", b.Paths))))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(group.Key.Host)}</td><td>{Html(group.Key.Paths)}</td><td>{group.Count()}</td><td>{group.First().Time:yyyy-MM-dd HH:mm}</td><td>{group.Last().Time:yyyy-MM-dd HH:mm}</td></tr>");
        }

        html.Append("</table>");

        html.Append("\n<h2 id=\"list\">Every backup</h2><table><tr><th>Snapshot</th><th>When (UTC)</th><th>Files</th><th>Added</th><th>Total</th><th>Duration</th><th>Downtime</th><th>State</th></tr>");
        foreach (var backup in backups.AsEnumerable().Reverse())
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(backup.Id)}</td><td>{backup.Time:yyyy-MM-dd HH:mm}</td><td>{backup.Files?.ToString(CultureInfo.InvariantCulture) ?? "?"}</td><td>{Maybe(backup.BytesAdded, ByteSize.Format)}</td><td>{Maybe(backup.BytesProcessed, ByteSize.Format)}</td><td>{Maybe(backup.DurationSeconds, Seconds)}</td><td>{Maybe(backup.DowntimeSeconds, Seconds)}</td><td class=\"{(backup.Complete ? "ok" : "warn")}\">{(backup.Complete ? "complete" : "INCOMPLETE")}</td></tr>");
        }

        html.Append("</table>\n<p>Figures come from each snapshot's summary and, for Cells installation snapshots, their manifest; \"?\" marks a figure the snapshot does not hold.</p></body></html>\n");
        return html.ToString();
    }

    private static string Maybe(long? value, Func<double, string> format) => value is { } v ? format(v) : "?";

    private static string Maybe(double? value, Func<double, string> format) => value is { } v ? format(v) : "?";

    private static string Seconds(double seconds) => seconds >= 120
        ? (seconds / 60).ToString("0.0", CultureInfo.InvariantCulture) + " min"
        : seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
