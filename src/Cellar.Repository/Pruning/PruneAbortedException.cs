namespace Cellar.Repository.Pruning;

/// <summary>
/// Prune stopped before removing anything it could not prove unused: a snapshot's tree that cannot
/// be loaded, a used blob no index lists, a needed pack that is missing or has the wrong size.
/// </summary>
public sealed class PruneAbortedException(string message, Exception? inner = null) : Exception(message, inner);
