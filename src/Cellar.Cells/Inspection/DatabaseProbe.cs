using Cellar.MySql;
using MySqlConnector;

namespace Cellar.Cells;

/// <summary>Connects to the installation's SQL database to report server version, tables and size.</summary>
public static class DatabaseProbe
{
    public static async Task<DatabaseInfo> ProbeAsync(string dsnText, CancellationToken cancellationToken)
    {
        MySqlDsn dsn;
        try
        {
            dsn = MySqlDsn.Parse(dsnText);
        }
        catch (FormatException ex)
        {
            string shown;
            try
            {
                shown = CellsDsn.Parse(dsnText).Redacted;
            }
            catch (FormatException)
            {
                shown = "(unreadable DSN)";
            }

            return new DatabaseInfo(shown, false, null, null, null, ex.Message);
        }

        var server = dsn.ToString();
        try
        {
            var builder = new MySqlConnectionStringBuilder(dsn.ToConnectionString()) { ConnectionTimeout = 5 };
            await using var connection = new MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT VERSION(), (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @db AND table_type = 'BASE TABLE'), " +
                                  "(SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = @db)";
            command.Parameters.AddWithValue("@db", dsn.Database);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new DatabaseInfo(server, true, reader.GetString(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), null);
        }
        catch (MySqlException ex)
        {
            return new DatabaseInfo(server, false, null, null, null, ex.Message);
        }
    }

    /// <summary>Before a restore: connects (the database itself may be missing) and counts the tables it already has.</summary>
    public static async Task<int> CountTablesAsync(MySqlDsn dsn, CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(dsn.ToConnectionString()) { Database = "" };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @db";
        command.Parameters.AddWithValue("@db", dsn.Database);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
