namespace Cellar.Repository;

/// <summary>No snapshot (or file) matches what the user asked for.</summary>
public sealed class SnapshotNotFoundException(string message) : Exception(message);
