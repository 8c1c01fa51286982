namespace Cellar.Repository.Policy;

/// <summary>One group's verdict: what its key is, and what the policy keeps (with reasons) and removes.</summary>
public sealed record ForgetGroup<T>(SnapshotGroupKey Key, RetentionResult<T> Result);
