namespace Cellar.Cells.Consistency;

/// <summary>Reads the index rows of one datasource from wherever the database is (live, or a scratch server).</summary>
public interface IIndexReader
{
    /// <summary>The rows of the datasource's index table, or null when the database has no such table; <see cref="InvalidDataException"/> when it cannot be read.</summary>
    Task<IReadOnlyList<IndexNode>?> ReadAsync(string datasource, CancellationToken cancellationToken);
}
