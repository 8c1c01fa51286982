using System.Globalization;
using Cellar.Cells.Drill;
using Cellar.Cells.Installation;
using Cellar.Repository;
using Cellar.Repository.Model;

namespace Cellar.Cells.History;

/// <summary>
/// The repository's story, oldest first: its backups with their figures, its drills, and what a
/// person should be warned about. Read-only; reads each installation snapshot's manifest.
/// </summary>
public sealed class RepositoryHistory
{
    /// <summary>A backup older than this is worth a warning (a daily schedule missed a run).</summary>
    public static readonly TimeSpan StaleBackup = TimeSpan.FromHours(36);

    /// <summary>No drill for this long is worth a warning.</summary>
    public static readonly TimeSpan StaleDrill = TimeSpan.FromDays(31);

    public required IReadOnlyList<BackupRecord> Backups { get; init; }
    public required IReadOnlyList<DrillRecord> Drills { get; init; }
    public required DateTimeOffset ReadAt { get; init; }

    /// <summary>Bytes stored in the repository's packs today (after compression and deduplication).</summary>
    public long? StoredBytes { get; init; }

    /// <summary>Reads every snapshot; with <paramref name="backupsSince"/>, only backups from then on (drills always all).</summary>
    public static async Task<RepositoryHistory> ReadAsync(ResticRepository repository, DateTimeOffset now, CancellationToken cancellationToken, DateTimeOffset? backupsSince = null)
    {
        var snapshots = (await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(s => s.Time.ToDateTimeOffset()).ToList();
        var backups = new List<BackupRecord>();
        var drills = new List<DrillRecord>();
        foreach (var snapshot in snapshots)
        {
            var tags = snapshot.Tags ?? [];
            if (tags.Contains(DrillTags.Tag))
            {
                drills.Add(ReadDrill(snapshot));
            }
            else if (!tags.Contains(SnapshotLayout.PassOneTag) && (backupsSince is null || snapshot.Time.ToDateTimeOffset() >= backupsSince))
            {
                backups.Add(await ReadBackupAsync(repository, snapshot, cancellationToken).ConfigureAwait(false));
            }
        }

        long? stored = repository.Index.BlobCount > 0 ? repository.Index.AllBlobs().Sum(b => (long)b.Length) : null;
        return new RepositoryHistory { Backups = backups, Drills = drills, ReadAt = now, StoredBytes = stored };
    }

    /// <summary>The newest backup taken at or after <paramref name="since"/>, or null.</summary>
    public BackupRecord? LatestSince(DateTimeOffset since) => Backups.LastOrDefault(b => b.Time >= since);

    /// <summary>Logical bytes of all backups up to each one ÷ bytes they added to the repository: how much deduplication saves, over time.</summary>
    public IReadOnlyList<double?> DedupRatios()
    {
        var result = new List<double?>();
        double logical = 0, stored = 0;
        foreach (var backup in Backups)
        {
            logical += backup.BytesProcessed ?? 0;
            stored += backup.BytesAddedPacked ?? backup.BytesAdded ?? 0;
            result.Add(stored > 0 && backup.BytesProcessed is not null ? logical / stored : null);
        }

        return result;
    }

    /// <summary>What a person should know: incomplete or warned backups, failed drills, old backups or drills.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        if (Backups.Count == 0)
        {
            warnings.Add("The repository holds no backup.");
        }
        else if (ReadAt - Backups[^1].Time > StaleBackup)
        {
            warnings.Add($"The last backup is {Age(ReadAt - Backups[^1].Time)} old ({Backups[^1].Time:yyyy-MM-dd HH:mm} UTC): check the schedule ('cellar schedule status').");
        }

        foreach (var backup in Backups)
        {
            if (!backup.Complete)
            {
                warnings.Add($"Backup {backup.Id} of {backup.Time:yyyy-MM-dd HH:mm} is INCOMPLETE (tags: {string.Join(", ", backup.Tags)}).");
            }

            warnings.AddRange(backup.Warnings.Select(w => $"Backup {backup.Id} of {backup.Time:yyyy-MM-dd HH:mm}: {w}"));
        }

        foreach (var drill in Drills.Where(d => !d.Passed))
        {
            warnings.Add($"Drill {drill.Id} of {drill.Time:yyyy-MM-dd HH:mm} FAILED for snapshot {drill.Drilled ?? "(unknown)"}: run 'cellar drill' to see why.");
        }

        if (Backups.Any(b => b.IsInstallation))
        {
            if (Drills.Count == 0)
            {
                warnings.Add("No recovery drill was ever recorded: a backup never restored is a hope, not a backup ('cellar drill latest').");
            }
            else if (ReadAt - Drills[^1].Time > StaleDrill)
            {
                warnings.Add($"The last drill is {Age(ReadAt - Drills[^1].Time)} old.");
            }
        }

        return warnings;
    }

    private static string Age(TimeSpan age) => age.TotalDays >= 2 ? $"{age.TotalDays:0} days" : $"{age.TotalHours:0} hours";

    private static DrillRecord ReadDrill(Snapshot snapshot)
    {
        var tags = snapshot.Tags ?? [];
        double? recover = null;
        if (tags.FirstOrDefault(t => t.StartsWith(DrillTags.RecoverPrefix, StringComparison.Ordinal)) is { } tag &&
            double.TryParse(tag[DrillTags.RecoverPrefix.Length..].TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            recover = seconds;
        }

        return new DrillRecord(
            snapshot.Id.ToShortString(),
            snapshot.Time.ToDateTimeOffset(),
            tags.FirstOrDefault(t => t.StartsWith(DrillTags.DrilledPrefix, StringComparison.Ordinal))?[DrillTags.DrilledPrefix.Length..],
            tags.Contains("passed") && !tags.Contains("failed"),
            recover);
    }

    private static async Task<BackupRecord> ReadBackupAsync(ResticRepository repository, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var tags = snapshot.Tags ?? [];
        var summary = snapshot.Summary;
        InstallationManifest? manifest = null;
        if (tags.Contains(SnapshotLayout.Tag) && snapshot.Tree is { } tree)
        {
            try
            {
                var files = new SnapshotFiles(repository, tree);
                manifest = InstallationManifest.FromJson(await files.ReadAllAsync(SnapshotLayout.Manifest, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException)
            {
                // Not an installation snapshot after all (a plain backup tagged 'cells'): figures from the summary only.
            }
        }

        double? duration = manifest?.BackupSeconds;
        if (duration is null && summary is not null && summary.BackupEnd.UnixSeconds > 0)
        {
            duration = (summary.BackupEnd.ToDateTimeOffset() - summary.BackupStart.ToDateTimeOffset()).TotalSeconds;
        }

        return new BackupRecord
        {
            Id = snapshot.Id.ToShortString(),
            Time = snapshot.Time.ToDateTimeOffset(),
            Host = snapshot.Hostname ?? "",
            Paths = snapshot.Paths ?? [],
            Tags = tags,
            IsInstallation = manifest is not null,
            Complete = !tags.Contains(SnapshotLayout.IncompleteTag) && (manifest?.Complete ?? true),
            Files = summary is null ? null : (long)summary.TotalFilesProcessed,
            BytesProcessed = summary is null ? null : (long)summary.TotalBytesProcessed,
            BytesAdded = summary is null ? null : (long)summary.DataAdded,
            BytesAddedPacked = summary is null ? null : (long)summary.DataAddedPacked,
            DurationSeconds = duration,
            DowntimeSeconds = manifest?.DowntimeSeconds,
            Warnings = manifest is null ? [] : [.. manifest.Warnings, .. manifest.LeftOut.Select(l => "not in the snapshot: " + l.Reason)],
        };
    }
}
