namespace Cellar.Repository.Pruning;

/// <summary>What an executed prune wrote and deleted; <see cref="Warnings"/> counts files it could not delete (harmless leftovers).</summary>
public sealed record PruneOutcome(int PacksWritten, int IndexFilesWritten, int IndexFilesDeleted, int Warnings);
