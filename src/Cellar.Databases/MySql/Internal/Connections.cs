using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>Opens connections from a DSN with the session Cellar needs, turning failures into sentences.</summary>
internal static class Connections
{
    public static async Task<MySqlConnection> OpenAsync(MySqlDsn dsn, CancellationToken ct, bool withDatabase = true)
    {
        var target = withDatabase ? dsn : dsn.WithDatabase("");
        var connection = new MySqlConnection(target.ToConnectionString());
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(connection, $"SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = '{SqlText.SqlMode}', SQL_QUOTE_SHOW_CREATE = 1", ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is MySqlException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw MySqlErrors.Describe(ex, dsn);
        }
    }

    public static async Task<int> ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand(sql, connection);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<T?> ScalarAsync<T>(MySqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var result = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
