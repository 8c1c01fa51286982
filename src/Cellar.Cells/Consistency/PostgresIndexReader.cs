using System.Globalization;
using System.Text;
using Cellar.Databases;
using Cellar.Databases.Postgres;

namespace Cellar.Cells.Consistency;

/// <summary>Reads datasource index tables from a PostgreSQL database (Cells v5; the live one, or a scratch copy) through psql.</summary>
public sealed class PostgresIndexReader(PostgresDsn dsn) : IIndexReader
{
    public async Task<IReadOnlyList<IndexNode>?> ReadAsync(string datasource, CancellationToken cancellationToken)
    {
        try
        {
            var tables = await PostgresQuery.RunAsync(dsn,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE '%\\_idx\\_tree'",
                "reading the datasource index tables", cancellationToken).ConfigureAwait(false);
            if (IndexTables.Find(tables.Select(t => t[0]), datasource) is not { } table)
            {
                return null;
            }

            // Names may hold tabs or newlines: every text field comes back hex-encoded.
            var rows = await PostgresQuery.RunAsync(dsn,
                "SELECT encode(convert_to(uuid, 'UTF8'), 'hex'), encode(convert_to(name, 'UTF8'), 'hex'), COALESCE(leaf::bigint, 0), COALESCE(size, 0), " +
                "encode(convert_to(COALESCE(etag, ''), 'UTF8'), 'hex'), encode(convert_to(COALESCE(mpath1, '') || COALESCE(mpath2, '') || COALESCE(mpath3, '') || COALESCE(mpath4, ''), 'UTF8'), 'hex') " +
                $"FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
                "reading the index table " + table, cancellationToken).ConfigureAwait(false);
            return rows.Select(r => new IndexNode(
                Text(r[0]), Text(r[1]), IndexTables.IsLeaf(long.Parse(r[2], CultureInfo.InvariantCulture)),
                long.Parse(r[3], CultureInfo.InvariantCulture), Text(r[4]), Text(r[5]))).ToList();
        }
        catch (Exception ex) when (ex is DatabaseException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"the index table of datasource {datasource} cannot be read as Cells writes it ({ex.Message})", ex);
        }
    }

    private static string Text(string hex) => Encoding.UTF8.GetString(Convert.FromHexString(hex));
}
