namespace Cellar.Repository.Browsing;

/// <summary>The totals of a diff: files whose content changed, and what the second snapshot added and removed.</summary>
public sealed record SnapshotDiff(int ChangedFiles, DiffCounts Added, DiffCounts Removed);
