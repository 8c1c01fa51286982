using Cellar.Cells.Installation;
using Cellar.Repository;
using Cellar.Repository.Archiving;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// What the S3 step of a backup hands to the installation snapshot: one virtual file per object
/// (content already in the repository), one listing per datasource, their manifest entries, and
/// the temporary snapshot that holds the downloaded objects (removed once the installation
/// snapshot is saved, or when the backup fails).
/// </summary>
internal sealed record S3BackupStage(IReadOnlyList<VirtualFile> Files, IReadOnlyList<ManifestS3Datasource> Datasources, Id? StageSnapshot);
