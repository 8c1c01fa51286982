namespace Cellar.Cells.Bolt;

/// <summary>Facts about a sound (or partly read) BoltDB file.</summary>
public sealed record BoltFileSummary(int PageSize, ulong TxId, ulong HighWaterMark, int ChosenMeta, long ReachablePages, long FreePages, long Keys, long Buckets);
