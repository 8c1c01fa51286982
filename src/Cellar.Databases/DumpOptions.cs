namespace Cellar.Databases;

/// <summary>What to dump and how.</summary>
public sealed record DumpOptions
{
    /// <summary>Only these tables (and the views and triggers among them); empty means all.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Connections reading tables at once (1 = one connection, always one moment without extra privileges).</summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>
    /// Tables with a single-column unique key and at least about 1.5 times this many rows are read as
    /// key ranges of about this many rows, several at once, each range its own stream (0: never split).
    /// All ranges come from the same snapshot; only per-table sinks take them (not single-file dumps).
    /// </summary>
    public long ChunkRows { get; init; } = 200_000;

    /// <summary>Upper bound of one multi-row INSERT in bytes; lowered to fit the server's max_allowed_packet.</summary>
    public int MaxStatementBytes { get; init; } = 1 << 20;

    /// <summary>Called once per table when its stream is complete.</summary>
    public Action<TableSummary>? OnTableDone { get; init; }
}
