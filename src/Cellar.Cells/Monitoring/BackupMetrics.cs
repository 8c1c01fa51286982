using System.Globalization;
using System.Text;

namespace Cellar.Cells.Monitoring;

/// <summary>
/// The figures of the last backup run in Prometheus' text exposition format, for node_exporter's
/// textfile collector. A figure not known is left out, never written as 0.
/// </summary>
public sealed record BackupMetrics
{
    public required DateTimeOffset LastRun { get; init; }
    public required int ExitCode { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public double? DurationSeconds { get; init; }
    public long? BytesAdded { get; init; }
    public long? Files { get; init; }
    public double? DowntimeSeconds { get; init; }
    public DateTimeOffset? LastDrill { get; init; }
    public bool? LastDrillPassed { get; init; }
    public double? LastDrillRecoverSeconds { get; init; }

    private static readonly (string Name, string Help, Func<BackupMetrics, double?> Value)[] Series =
    [
        ("cellar_backup_last_run_timestamp_seconds", "Unix time the last backup run ended.", m => m.LastRun.ToUnixTimeMilliseconds() / 1000.0),
        ("cellar_backup_exit_code", "Exit code of the last backup run (0 done, 3 incomplete, other: failed).", m => m.ExitCode),
        ("cellar_backup_last_success_timestamp_seconds", "Unix time of the last backup run that ended with exit code 0.", m => m.LastSuccess?.ToUnixTimeMilliseconds() / 1000.0),
        ("cellar_backup_duration_seconds", "Wall time of the last backup.", m => m.DurationSeconds),
        ("cellar_backup_bytes_added", "Bytes of new data the last backup added to the repository (before compression).", m => m.BytesAdded),
        ("cellar_backup_files", "Files the last backup processed.", m => m.Files),
        ("cellar_backup_downtime_seconds", "How long Cells was stopped during the last backup.", m => m.DowntimeSeconds),
        ("cellar_drill_last_timestamp_seconds", "Unix time of the last recovery drill.", m => m.LastDrill?.ToUnixTimeMilliseconds() / 1000.0),
        ("cellar_drill_last_passed", "1 when the last recovery drill passed, 0 when it failed.", m => m.LastDrillPassed is { } passed ? (passed ? 1 : 0) : null),
        ("cellar_drill_last_restore_seconds", "Time to recover (files placed and database loaded) measured by the last drill.", m => m.LastDrillRecoverSeconds),
    ];

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        foreach (var (name, help, value) in Series)
        {
            if (value(this) is not { } number)
            {
                continue;
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append(name).Append(' ').Append(number.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads back a file this type wrote; null when it is absent or holds no run.</summary>
    public static BackupMetrics? Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }

        DateTimeOffset? Time(string name) => values.TryGetValue(name, out var v) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(v * 1000)) : null;
        double? Number(string name) => values.TryGetValue(name, out var v) ? v : null;
        if (Time("cellar_backup_last_run_timestamp_seconds") is not { } lastRun)
        {
            return null;
        }

        return new BackupMetrics
        {
            LastRun = lastRun,
            ExitCode = (int)(Number("cellar_backup_exit_code") ?? -1),
            LastSuccess = Time("cellar_backup_last_success_timestamp_seconds"),
            DurationSeconds = Number("cellar_backup_duration_seconds"),
            BytesAdded = (long?)Number("cellar_backup_bytes_added"),
            Files = (long?)Number("cellar_backup_files"),
            DowntimeSeconds = Number("cellar_backup_downtime_seconds"),
            LastDrill = Time("cellar_drill_last_timestamp_seconds"),
            LastDrillPassed = Number("cellar_drill_last_passed") is { } p ? p == 1 : null,
            LastDrillRecoverSeconds = Number("cellar_drill_last_restore_seconds"),
        };
    }
}
