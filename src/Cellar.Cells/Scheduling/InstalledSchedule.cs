using System.Globalization;
using System.Text.RegularExpressions;

namespace Cellar.Cells.Scheduling;

/// <summary>
/// A schedule as its unit files describe it, read back for <c>cellar schedule status</c>: when the
/// backup runs, whether a drill is set, and where its metrics file is (last run and result).
/// </summary>
public sealed partial record InstalledSchedule(string UnitDir, TimeOnly? At, string? DrillCalendar, string? MetricsFile, string? Repository)
{
    public static InstalledSchedule? Read(string unitDir)
    {
        var service = Path.Combine(unitDir, SchedulePlan.BackupUnit + ".service");
        var timer = Path.Combine(unitDir, SchedulePlan.BackupUnit + ".timer");
        if (!File.Exists(service) || !File.Exists(timer))
        {
            return null;
        }

        var serviceText = File.ReadAllText(service);
        TimeOnly? at = Calendar().Match(File.ReadAllText(timer)) is { Success: true } m
            ? new TimeOnly(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
        var drillTimer = Path.Combine(unitDir, SchedulePlan.DrillUnit + ".timer");
        var drill = File.Exists(drillTimer) && OnCalendarLine().Match(File.ReadAllText(drillTimer)) is { Success: true } d ? d.Groups[1].Value.Trim() : null;
        var metrics = MetricsArgument().Match(serviceText) is { Success: true } mf ? Unquote(mf.Groups[1].Value) : null;
        var repository = RepositoryLine().Match(serviceText) is { Success: true } r ? Unquote(r.Groups[1].Value).Replace("$$", "$", StringComparison.Ordinal) : null;
        return new InstalledSchedule(unitDir, at, drill, metrics?.Replace("%%", "%", StringComparison.Ordinal).Replace("$$", "$", StringComparison.Ordinal), repository);
    }

    /// <summary>The next daily run after <paramref name="now"/> (local time of this machine, as systemd reads OnCalendar).</summary>
    public DateTimeOffset? NextRun(DateTimeOffset now)
    {
        if (At is not { } at)
        {
            return null;
        }

        var local = now.ToLocalTime();
        var today = new DateTimeOffset(local.Date + at.ToTimeSpan(), local.Offset);
        return today > local ? today : today.AddDays(1);
    }

    private static string Unquote(string word) =>
        word.StartsWith('"') ? word[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : word;

    [GeneratedRegex(@"^OnCalendar=\*-\*-\* (\d\d):(\d\d):00\s*$", RegexOptions.Multiline)]
    private static partial Regex Calendar();

    [GeneratedRegex(@"^OnCalendar=(.+)$", RegexOptions.Multiline)]
    private static partial Regex OnCalendarLine();

    [GeneratedRegex(@"^ExecStart=.*?--metrics-file ((?:""(?:[^""\\]|\\.)*"")|\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricsArgument();

    [GeneratedRegex(@"^Environment=""?CELLAR_REPOSITORY=([^""\n]*)""?\s*$", RegexOptions.Multiline)]
    private static partial Regex RepositoryLine();
}
