namespace Cellar.Databases;

/// <summary>A load that failed part way: says which tables are complete and which are not.</summary>
public sealed class RestoreException(string message, IReadOnlyList<string> completeTables, IReadOnlyList<string> incompleteTables, Exception inner)
    : Exception(message, inner)
{
    public IReadOnlyList<string> CompleteTables { get; } = completeTables;

    public IReadOnlyList<string> IncompleteTables { get; } = incompleteTables;
}
