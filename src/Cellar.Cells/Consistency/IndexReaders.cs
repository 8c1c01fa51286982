using Cellar.Databases;
using Cellar.Databases.MySql;

namespace Cellar.Cells.Consistency;

/// <summary>The index reader for a database, by its engine; null when Cellar cannot read that engine's indexes yet.</summary>
public static class IndexReaders
{
    public static IIndexReader? For(DatabaseDsn dsn) => dsn switch
    {
        MySqlDsn mysql => new MySqlIndexReader(mysql),
        _ => null,
    };
}
