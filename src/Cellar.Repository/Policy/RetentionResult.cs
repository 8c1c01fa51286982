namespace Cellar.Repository.Policy;

/// <summary>The outcome of a policy on one group: kept (newest first, with reasons) and removed snapshots.</summary>
public sealed record RetentionResult<T>(IReadOnlyList<T> Keep, IReadOnlyList<T> Remove, IReadOnlyList<KeepReason<T>> Reasons);
