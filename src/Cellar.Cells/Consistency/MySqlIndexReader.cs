using Cellar.Databases.MySql;
using MySqlConnector;

namespace Cellar.Cells.Consistency;

/// <summary>Reads datasource index tables from a MySQL/MariaDB database (the live one, or a scratch copy).</summary>
public sealed class MySqlIndexReader(MySqlDsn dsn) : IIndexReader
{
    public async Task<IReadOnlyList<IndexNode>?> ReadAsync(string datasource, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadCoreAsync(datasource, cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw new InvalidDataException($"the index table {IndexTables.TreeTable(datasource)} cannot be read as Cells writes it ({ex.Message})", ex);
        }
    }

    private async Task<IReadOnlyList<IndexNode>?> ReadCoreAsync(string datasource, CancellationToken cancellationToken)
    {
        var table = IndexTables.TreeTable(datasource);
        await using var connection = new MySqlConnection(dsn.ToConnectionString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new MySqlCommand("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t", connection))
        {
            exists.Parameters.AddWithValue("@t", table);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
        }

        var rows = new List<IndexNode>();
        await using var select = new MySqlCommand(
            $"SELECT uuid, name, leaf, size, etag, CONCAT(mpath1, mpath2, mpath3, mpath4) FROM `{table.Replace("`", "``", StringComparison.Ordinal)}`", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new IndexNode(
                reader.GetString(0),
                reader.GetString(1),
                !reader.IsDBNull(2) && IndexTables.IsLeaf(Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)),
                reader.IsDBNull(3) ? 0 : Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? "" : reader.GetString(4),
                reader.GetString(5)));
        }

        return rows;
    }
}
