namespace Cellar.Cells.Drill;

/// <summary>Where a drill restores, which database it loads into, and its test hooks.</summary>
public sealed record DrillOptions
{
    /// <summary>The scratch folder (created when missing; must be empty and must not overlap the installation's paths).</summary>
    public required string Scratch { get; init; }

    /// <summary>Load into this database instead of a private throwaway server.</summary>
    public string? ScratchDsn { get; init; }

    /// <summary>Keep the restored files in the scratch folder afterwards (default: removed).</summary>
    public bool Keep { get; init; }

    /// <summary>Test hook: runs on the scratch DSN after the load and before the tables are verified.</summary>
    public Func<Cellar.Databases.DatabaseDsn, CancellationToken, Task>? AfterLoad { get; init; }

    public Action<string> Log { get; init; } = _ => { };
}
