namespace Cellar.Databases;

/// <summary>How to load a dump.</summary>
public sealed record RestoreOptions
{
    /// <summary>Load even when the target database already has tables (dumped tables are dropped and recreated).</summary>
    public bool Force { get; init; }

    /// <summary>Tables loading at once, each on its own connection.</summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>Create the target database when it does not exist (needs the CREATE privilege).</summary>
    public bool CreateDatabase { get; init; } = true;

    /// <summary>Called once per table when it is completely loaded.</summary>
    public Action<TableSummary>? OnTableDone { get; init; }
}
