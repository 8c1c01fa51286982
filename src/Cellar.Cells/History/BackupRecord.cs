namespace Cellar.Cells.History;

/// <summary>
/// One backup snapshot as the history shows it. Figures come from what the snapshot holds: the
/// restic <c>summary</c> (files, bytes, data added; written by Cellar and restic 0.17+) and, for a
/// Cells installation snapshot, its <c>/.cellar/manifest.json</c> (backup seconds, downtime,
/// warnings). A figure the snapshot does not hold is null, never guessed.
/// </summary>
public sealed record BackupRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Host { get; init; }
    public required IReadOnlyList<string> Paths { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>True for a whole-installation snapshot (tagged <c>cells</c>, with a manifest).</summary>
    public bool IsInstallation { get; init; }

    public bool Complete { get; init; } = true;
    public long? Files { get; init; }
    public long? BytesProcessed { get; init; }
    public long? BytesAdded { get; init; }
    public long? BytesAddedPacked { get; init; }
    public double? DurationSeconds { get; init; }
    public double? DowntimeSeconds { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
