using Cellar.Repository.Model;

namespace Cellar.Repository.Archiving;

/// <summary>What a finished backup stored.</summary>
public sealed record BackupResult(Snapshot Snapshot, BackupStatistics Statistics, int DataBlobsAdded, int TreeBlobsAdded, long DataAdded, long DataAddedPacked, int PacksWritten, int Warnings)
{
    public Id SnapshotId => Snapshot.Id;
}
