using Cellar.Databases;
using Cellar.Databases.MySql;
using Cellar.Databases.Postgres;
using Cellar.Databases.Sqlite;

namespace Cellar.Cells.Consistency;

/// <summary>The index reader for a database, by its engine; null when Cellar cannot read that engine's indexes yet.</summary>
public static class IndexReaders
{
    public static IIndexReader? For(DatabaseDsn dsn) => dsn switch
    {
        MySqlDsn mysql => new MySqlIndexReader(mysql),
        PostgresDsn postgres => new PostgresIndexReader(postgres),
        SqliteDsn sqlite => new SqliteIndexReader(sqlite),
        _ => null,
    };
}
