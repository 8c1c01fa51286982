using Cellar.MySql;
using MySqlConnector;

namespace Cellar.Cells.Installation;

/// <summary>Looks at the target database before a restore: reachable, and how many tables it already has.</summary>
public static class DatabaseProbe
{
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
