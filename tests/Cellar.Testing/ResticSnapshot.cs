namespace Cellar.Testing;

/// <summary>One snapshot as <c>restic snapshots --json</c> lists it.</summary>
public sealed record ResticSnapshot(string Id, string ShortId, string Time, string Tree, string Hostname, IReadOnlyList<string> Paths, IReadOnlyList<string> Tags);
