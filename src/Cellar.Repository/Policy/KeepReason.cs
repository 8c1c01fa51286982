namespace Cellar.Repository.Policy;

/// <summary>Why one snapshot is kept: the rules it matched (restic's wording) and the counters after it.</summary>
public sealed record KeepReason<T>(T Snapshot, IReadOnlyList<string> Matches, RetentionCounters Counters);
