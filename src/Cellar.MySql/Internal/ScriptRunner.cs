using MySqlConnector;

namespace Cellar.MySql.Internal;

/// <summary>Executes a script's statements one by one on a connection; counts inserted rows.</summary>
internal static class ScriptRunner
{
    public static async Task<long> RunAsync(MySqlConnection connection, Stream script, CancellationToken ct)
    {
        using var reader = new SqlScriptReader(script);
        long rows = 0;
        await using var cmd = new MySqlCommand { Connection = connection };
        while (await reader.ReadAsync(ct).ConfigureAwait(false) is { } statement)
        {
            cmd.CommandText = statement;
            var affected = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (affected > 0 && statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
            {
                rows += affected;
            }
        }

        return rows;
    }
}
