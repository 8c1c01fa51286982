namespace Cellar.Repository.Policy;

/// <summary>What <see cref="SnapshotForgetter.ForgetAsync"/> did: the snapshots removed, and each one that could not be, with the reason.</summary>
public sealed record ForgetOutcome(IReadOnlyList<Id> Removed, IReadOnlyList<(Id Id, string Reason)> Failed);
