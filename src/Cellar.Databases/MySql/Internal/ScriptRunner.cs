using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Executes a script's statements one by one on a connection; counts inserted rows. The session is
/// permissive (so stored values load exactly), so warnings that mean a value was changed on the way
/// in (out of range, too long, invalid) are turned into errors.
/// </summary>
internal static class ScriptRunner
{
    private static readonly HashSet<int> ValueChanged = [1264, 1265, 1366, 1406, 1292, 1048, 1101];

    public static async Task<long> RunAsync(MySqlConnection connection, Stream script, CancellationToken ct)
    {
        using var reader = new SqlScriptReader(script);
        long rows = 0;
        (int Code, string Message)? changed = null;
        {
            await using var cmd = new MySqlCommand { Connection = connection };
            while (await reader.ReadAsync(ct).ConfigureAwait(false) is { } statement)
            {
                cmd.CommandText = statement;
                var affected = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                if (statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
                {
                    changed ??= await FirstValueWarningAsync(connection, ct).ConfigureAwait(false);
                }

                if (changed is not null)
                {
                    throw new DatabaseException($"the target database cannot take a value: {changed.Value.Message}; the target table's definition or server differs from the source.")
                    {
                        ServerErrorNumber = changed.Value.Code,
                    };
                }

                if (affected > 0 && statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
                {
                    rows += affected;
                }
            }
        }

        return rows;
    }

    private static async Task<(int Code, string Message)?> FirstValueWarningAsync(MySqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand("SHOW WARNINGS LIMIT 10", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var code = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            if (ValueChanged.Contains(code))
            {
                return (code, reader.GetString(2));
            }
        }

        return null;
    }
}
