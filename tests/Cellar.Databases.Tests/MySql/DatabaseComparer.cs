using System.Text;
using Cellar.Testing;
using MySqlConnector;


namespace Cellar.Databases.Tests.MySql;

/// <summary>Describes a database completely (every definition and every value, bit for bit) so two can be compared as text.</summary>
internal static class DatabaseComparer
{
    public static async Task<string> DescribeAsync(MariaDbServer server, string database)
    {
        await using var connection = await server.OpenAsync(database);
        await Exec(connection, "SET time_zone = '+00:00'");
        var sb = new StringBuilder();
        var objects = new List<(string Name, string Type)>();
        await using (var cmd = new MySqlCommand("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                objects.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, type) in objects)
        {
            var id = "`" + name.Replace("`", "``") + "`";
            sb.Append("== ").Append(type).Append(' ').Append(name).Append('\n');
            sb.Append(await Single(connection, $"SHOW CREATE TABLE {id}", 1)).Append('\n');
            if (type != "BASE TABLE")
            {
                continue;
            }

            var columns = new List<string>();
            await using (var cmd = new MySqlCommand(
                "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection))
            {
                cmd.Parameters.AddWithValue("@t", name);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var col = "`" + reader.GetString(0).Replace("`", "``") + "`";
                    columns.Add(reader.GetString(1) switch
                    {
                        "float" => $"IFNULL(CAST(CAST({col} AS DOUBLE) AS CHAR), 'NULL')",
                        "double" => $"IFNULL(CAST({col} AS CHAR), 'NULL')",
                        "bit" => $"IFNULL(HEX({col}), 'NULL')",
                        _ => $"IFNULL(HEX(CAST({col} AS BINARY)), 'NULL')",
                    });
                }
            }

            var select = $"SELECT CONCAT_WS('|', {string.Join(", ", columns)}) AS r FROM {id} ORDER BY r";
            await using (var cmd = new MySqlCommand(select, connection))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    sb.Append(reader.GetString(0)).Append('\n');
                }
            }
        }

        await using (var cmd = new MySqlCommand("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME", connection))
        {
            var triggers = new List<string>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    triggers.Add(reader.GetString(0));
                }
            }

            foreach (var trigger in triggers)
            {
                sb.Append("== TRIGGER ").Append(trigger).Append('\n').Append(await Single(connection, $"SHOW CREATE TRIGGER `{trigger}`", 2)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var cmd = new MySqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> Single(MySqlConnection connection, string sql, int column)
    {
        await using var cmd = new MySqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetString(column);
    }
}
