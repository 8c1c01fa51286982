using Cellar.Databases;
using Cellar.Databases.MySql;

namespace Cellar.Cells.Consistency;

/// <summary>The index reader for a database, by its engine.</summary>
public static class IndexReaders
{
    public static IIndexReader For(DatabaseDsn dsn) => dsn switch
    {
        MySqlDsn mysql => new MySqlIndexReader(mysql),
        _ => new UnreadableIndex(dsn.Engine.DisplayName),
    };

    private sealed class UnreadableIndex(string engine) : IIndexReader
    {
        public Task<IReadOnlyList<IndexNode>?> ReadAsync(string datasource, CancellationToken cancellationToken) =>
            throw new InvalidDataException($"Cellar cannot read datasource indexes from {engine} yet, so this datasource was not proven");
    }
}
