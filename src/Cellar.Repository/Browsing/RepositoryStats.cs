namespace Cellar.Repository.Browsing;

/// <summary>What restic's <c>stats</c> reports; <see cref="TotalBlobCount"/> is 0 in the modes that do not count blobs.</summary>
public sealed record RepositoryStats(ulong TotalSize, ulong TotalFileCount, ulong TotalBlobCount, int SnapshotsCount);
