namespace Cellar.Cells.Scheduling;

/// <summary>
/// What <c>cellar schedule install</c> sets up: a daily installation backup at <see cref="At"/>
/// (then <c>forget --prune</c> with the keep policy), and optionally a recovery drill. The
/// repository password is only ever named by its file.
/// </summary>
public sealed record SchedulePlan
{
    public const string BackupUnit = "cellar-backup";
    public const string DrillUnit = "cellar-drill";

    /// <summary>Absolute path of the <c>cellar</c> executable the units run.</summary>
    public required string Cellar { get; init; }
    public required string Repository { get; init; }
    public required string PasswordFile { get; init; }
    public required TimeOnly At { get; init; }

    /// <summary>Arguments after <c>cellar backup</c> (how to stop Cells, the working dir, pings, metrics).</summary>
    public IReadOnlyList<string> BackupArguments { get; init; } = [];

    /// <summary>The <c>--keep-…</c> arguments of the forget that follows a successful backup; none: no forget.</summary>
    public IReadOnlyList<string> KeepArguments { get; init; } = [];

    /// <summary><c>daily</c>, <c>weekly</c> or <c>monthly</c>: when to drill the latest snapshot; null: no drill.</summary>
    public string? Drill { get; init; }

    public string? MetricsFile { get; init; }
}
