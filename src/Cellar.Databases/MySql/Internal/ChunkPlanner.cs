using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Splits big tables into key ranges, as mydumper does with <c>--rows</c>: only a single-column
/// unique key (primary or unique NOT NULL) of integer, UTF-8 text or binary type; composite keys,
/// tables without such a key and small tables stay one stream. Integer keys are cut evenly between
/// MIN and MAX; other keys at every <c>chunkRows</c>-th key in key order. The bounds are read in the
/// dump's own snapshot, and the ranges cover the whole key order whatever the bounds are (the first
/// is open below, the last open above), so a row can be neither lost nor read twice.
/// </summary>
internal static class ChunkPlanner
{
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase) { "tinyint", "smallint", "mediumint", "int", "integer", "bigint" };

    /// <summary>
    /// How many ranges a table of about <paramref name="estimatedRows"/> rows is cut into: the nearest
    /// whole number of <paramref name="chunkRows"/> (estimates run a little under the true count), at least 1.
    /// </summary>
    public static int PartsFor(long estimatedRows, long chunkRows) =>
        chunkRows <= 0 ? 1 : (int)Math.Clamp((estimatedRows + (chunkRows / 2)) / chunkRows, 1, 1024);

    public static async Task<List<TableChunk>> PlanAsync(MySqlConnection connection, IReadOnlyList<TableInfo> tables, long chunkRows, CancellationToken ct)
    {
        var chunks = new List<TableChunk>();
        foreach (var table in tables)
        {
            var bounds = await BoundsAsync(connection, table, chunkRows, ct).ConfigureAwait(false);
            for (var i = 0; i <= bounds.Count; i++)
            {
                chunks.Add(new TableChunk(table, i, bounds.Count + 1, i == 0 ? null : bounds[i - 1], i == bounds.Count ? null : bounds[i]));
            }
        }

        return chunks;
    }

    /// <summary>The inner cut points of a table's key order (empty: one stream).</summary>
    private static async Task<List<object>> BoundsAsync(MySqlConnection connection, TableInfo table, long chunkRows, CancellationToken ct)
    {
        var parts = PartsFor(table.EstimatedRows, chunkRows);
        if (parts < 2 || !table.OrderIsUnique || table.OrderColumns.Count != 1)
        {
            return [];
        }

        var column = table.Columns.FirstOrDefault(c => c.Name == table.OrderColumns[0]);
        if (column is null)
        {
            return [];
        }

        var key = SqlText.Identifier(column.Name);
        var from = SqlText.Identifier(table.Name);
        if (IntegerTypes.Contains(column.DataType))
        {
            await using var cmd = new MySqlCommand($"SELECT CAST(MIN({key}) AS DECIMAL(20)), CAST(MAX({key}) AS DECIMAL(20)) FROM {from}", connection);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false) || reader.IsDBNull(0))
            {
                return [];
            }

            var (min, max) = (reader.GetDecimal(0), reader.GetDecimal(1));
            var step = Math.Floor((max - min + 1) / parts);
            if (step < 1)
            {
                return [];
            }

            return Enumerable.Range(1, parts - 1).Select(i => min + (step * i)).Select(b => b <= long.MaxValue ? (object)(long)b : (ulong)b).ToList();
        }

        if (column.Kind is not (ColumnKind.Utf8Text or ColumnKind.Binary))
        {
            return [];
        }

        // Each cut point is found from the previous one, so the key order is walked once in all.
        var bounds = new List<object>();
        for (var i = 1; i < parts; i++)
        {
            var where = bounds.Count == 0 ? "" : $" WHERE {key} >= @low";
            var stride = table.EstimatedRows / parts;
            await using var cmd = new MySqlCommand($"SELECT {key} FROM {from}{where} ORDER BY {key} LIMIT 1 OFFSET {stride}", connection);
            if (bounds.Count > 0)
            {
                cmd.Parameters.AddWithValue("@low", bounds[^1]);
            }

            var next = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (next is null or DBNull)
            {
                break;
            }

            bounds.Add(next);
        }

        return bounds;
    }
}
