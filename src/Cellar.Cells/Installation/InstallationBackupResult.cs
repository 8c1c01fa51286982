using Cellar.Repository;

namespace Cellar.Cells.Installation;

/// <summary>What an installation backup stored, and whether Cells came back.</summary>
public sealed record InstallationBackupResult(Id SnapshotId, InstallationManifest Manifest, int FileWarnings, TimeSpan Duration, TimeSpan Downtime, string? StartFailure)
{
    /// <summary>True when a store could not be stored sound or files could not be read.</summary>
    public bool Incomplete => !Manifest.Complete || FileWarnings > 0;
}
