using System.Text.RegularExpressions;
using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>Reads tables, columns, keys and definitions from information_schema and SHOW CREATE.</summary>
internal static partial class SchemaReader
{
    public static async Task<DatabaseObjects> ReadAsync(MySqlConnection connection, IReadOnlyList<string> only, CancellationToken ct)
    {
        var tables = new List<TableInfo>();
        var views = new List<string>();
        string charset = "utf8mb4", collation = "utf8mb4_bin";
        await using (var reader = await Query(connection,
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()").ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                charset = reader.GetString(0);
                collation = reader.GetString(1);
            }
        }

        await using (var reader = await Query(connection,
            "SELECT TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), IFNULL(DATA_LENGTH, 0), IFNULL(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
            .ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                var type = reader.GetString(1);
                if (type == "VIEW")
                {
                    views.Add(name);
                }
                else if (type == "BASE TABLE")
                {
                    tables.Add(new TableInfo(name, reader.GetString(2), Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture))
                    {
                        EstimatedRows = Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
                    });
                }
            }
        }

        if (only.Count > 0)
        {
            var missing = only.Where(n => !tables.Any(t => t.Name == n) && !views.Contains(n)).ToList();
            if (missing.Count > 0)
            {
                throw new DatabaseException($"the database has no table or view named {string.Join(", ", missing.Select(SqlText.Identifier))}; check the --table names.");
            }

            tables = tables.Where(t => only.Contains(t.Name)).ToList();
            views = views.Where(only.Contains).ToList();
        }

        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var columns = new Dictionary<string, List<ColumnInfo>>(StringComparer.Ordinal);
        await using (var reader = await Query(connection,
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION")
            .ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var table = reader.GetString(0);
                if (!byName.ContainsKey(table))
                {
                    continue;
                }

                var extra = reader.IsDBNull(4) ? "" : reader.GetString(4).ToUpperInvariant();
                if (extra.Contains("VIRTUAL", StringComparison.Ordinal) || extra.Contains("STORED", StringComparison.Ordinal) || extra.Contains("PERSISTENT", StringComparison.Ordinal))
                {
                    continue; // generated: computed again by the target
                }

                var dataType = reader.GetString(2);
                var charsetName = reader.IsDBNull(3) ? null : reader.GetString(3);
                if (!columns.TryGetValue(table, out var list))
                {
                    columns[table] = list = [];
                }

                list.Add(new ColumnInfo(reader.GetString(1), dataType, ColumnInfo.KindOf(dataType, charsetName), charsetName));
            }
        }

        var keys = new Dictionary<string, List<(string Index, string Column, bool Unique, bool Nullable)>>(StringComparer.Ordinal);
        await using (var reader = await Query(connection,
            "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULLABLE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() " +
            "ORDER BY TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX").ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var table = reader.GetString(0);
                if (!keys.TryGetValue(table, out var list))
                {
                    keys[table] = list = [];
                }

                list.Add((reader.GetString(1), reader.GetString(2), Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) == 0,
                    reader.GetString(4) == "YES"));
            }
        }

        foreach (var table in tables)
        {
            table.Columns = columns.TryGetValue(table.Name, out var cols) ? cols : [];
            table.OrderColumns = ChooseOrder(table, keys.TryGetValue(table.Name, out var k) ? k : [], out var unique);
            table.OrderIsUnique = unique;
            table.CreateStatement = await ShowCreateAsync(connection, "TABLE", table.Name, 1, ct).ConfigureAwait(false);
        }

        var triggers = new List<string>();
        await using (var reader = await Query(connection,
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME")
            .ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (byName.ContainsKey(reader.GetString(1)))
                {
                    triggers.Add(reader.GetString(0));
                }
            }
        }

        return new DatabaseObjects(tables, views, triggers, charset, collation);
    }

    /// <summary>The views and triggers as one script: views ordered so each comes after the views it reads, then triggers.</summary>
    public static async Task<(string Script, int Views, int Triggers)> ReadObjectsScriptAsync(MySqlConnection connection, DatabaseObjects objects, CancellationToken ct)
    {
        var definitions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var view in objects.ViewNames)
        {
            definitions[view] = StripDefiner(await ShowCreateAsync(connection, "VIEW", view, 1, ct).ConfigureAwait(false));
        }

        var sb = new System.Text.StringBuilder();
        sb.Append("-- cellar:objects\n").Append(SqlText.SessionPrelude);
        foreach (var view in OrderViews(definitions))
        {
            sb.Append("DROP TABLE IF EXISTS ").Append(SqlText.Identifier(view)).Append(";\n");
            sb.Append("DROP VIEW IF EXISTS ").Append(SqlText.Identifier(view)).Append(";\n");
            sb.Append(definitions[view]).Append(";\n");
        }

        foreach (var trigger in objects.TriggerNames)
        {
            await using var cmd = Query(connection, "SHOW CREATE TRIGGER " + SqlText.Identifier(trigger));
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                continue;
            }

            var sqlMode = reader.GetString(1);
            var statement = StripDefiner(reader.GetString(2));
            sb.Append("DROP TRIGGER IF EXISTS ").Append(SqlText.Identifier(trigger)).Append(";\n");
            sb.Append("SET sql_mode = ").Append(SqlText.Quote(sqlMode)).Append(";\n");
            sb.Append("DELIMITER ;;\n").Append(statement).Append(";;\nDELIMITER ;\n");
            sb.Append("SET sql_mode = '").Append(SqlText.SqlMode).Append("';\n");
        }

        return (sb.ToString(), objects.ViewNames.Count, objects.TriggerNames.Count);
    }

    private static List<string> OrderViews(Dictionary<string, string> definitions)
    {
        var ordered = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(string view)
        {
            if (state.GetValueOrDefault(view) != 0)
            {
                return;
            }

            state[view] = 1;
            var body = definitions[view];
            var asIndex = body.IndexOf(" AS ", StringComparison.Ordinal);
            var text = asIndex < 0 ? body : body[asIndex..];
            foreach (var other in definitions.Keys.Order(StringComparer.Ordinal))
            {
                if (other != view && text.Contains(SqlText.Identifier(other), StringComparison.Ordinal))
                {
                    Visit(other);
                }
            }

            state[view] = 2;
            ordered.Add(view);
        }

        foreach (var view in definitions.Keys.Order(StringComparer.Ordinal))
        {
            Visit(view);
        }

        return ordered;
    }

    private static IReadOnlyList<string> ChooseOrder(TableInfo table, List<(string Index, string Column, bool Unique, bool Nullable)> keys, out bool unique)
    {
        foreach (var group in keys.GroupBy(k => k.Index))
        {
            var parts = group.ToList();
            if (parts[0].Unique && parts.All(p => !p.Nullable))
            {
                unique = true;
                return parts.Select(p => p.Column).ToList();
            }
        }

        unique = false;
        return table.Columns.Select(c => c.Name).ToList();
    }

    private static async Task<string> ShowCreateAsync(MySqlConnection connection, string kind, string name, int column, CancellationToken ct)
    {
        await using var cmd = Query(connection, $"SHOW CREATE {kind} {SqlText.Identifier(name)}");
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new DatabaseException($"SHOW CREATE {kind} {SqlText.Identifier(name)} returned nothing.");
        }

        return reader.GetString(column);
    }

    private static string StripDefiner(string statement) => DefinerPattern().Replace(statement, " ", 1);

    [GeneratedRegex(@"\sDEFINER=(`(?:[^`]|``)*`|'(?:[^']|'')*'|\S+)@(`(?:[^`]|``)*`|'(?:[^']|'')*'|\S+)\s", RegexOptions.CultureInvariant)]
    private static partial Regex DefinerPattern();

    private static MySqlCommand Query(MySqlConnection connection, string sql) => new(sql, connection);
}
