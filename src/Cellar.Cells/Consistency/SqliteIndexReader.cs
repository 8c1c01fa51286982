using Cellar.Databases.Sqlite;
using Microsoft.Data.Sqlite;

namespace Cellar.Cells.Consistency;

/// <summary>Reads datasource index tables from a SQLite database file (Cells v5), opened read-only.</summary>
public sealed class SqliteIndexReader(SqliteDsn dsn) : IIndexReader
{
    public async Task<IReadOnlyList<IndexNode>?> ReadAsync(string datasource, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dsn.Path, Mode = SqliteOpenMode.ReadOnly }.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_idx\\_tree' ESCAPE '\\'";
                await using var found = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await found.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    names.Add(found.GetString(0));
                }
            }

            if (IndexTables.Find(names, datasource) is not { } table)
            {
                return null;
            }

            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT uuid, name, COALESCE(leaf, 0), COALESCE(size, 0), COALESCE(etag, ''), COALESCE(mpath1, '') || COALESCE(mpath2, '') || COALESCE(mpath3, '') || COALESCE(mpath4, '') " +
                                 $"FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            var rows = new List<IndexNode>();
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new IndexNode(reader.GetString(0), reader.GetString(1), IndexTables.IsLeaf(reader.GetInt64(2)), reader.GetInt64(3), reader.GetString(4), reader.GetString(5)));
            }

            return rows;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidCastException)
        {
            throw new InvalidDataException($"the index table of datasource {datasource} cannot be read as Cells writes it ({ex.Message})", ex);
        }
    }
}
