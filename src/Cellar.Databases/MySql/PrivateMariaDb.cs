using System.Diagnostics;
using MySqlConnector;

namespace Cellar.Databases.MySql;

/// <summary>
/// A throw-away MariaDB server (for <c>cellar demo</c> and <c>cellar drill</c>): its own data dir and
/// unix socket under a temp folder, no network; stopped (the process this started, by its id) when
/// disposed. Needs the Debian package <c>mariadb-server</c> (mariadbd, mariadb-install-db).
/// </summary>
public sealed class PrivateMariaDb : IAsyncDisposable
{
    private readonly Process _process;

    private PrivateMariaDb(Process process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>Starts one when mariadbd and mariadb-install-db are on the PATH; null (with the reason) otherwise.</summary>
    public static async Task<(PrivateMariaDb? Server, string? Reason)> TryStartAsync(string folder, CancellationToken cancellationToken)
    {
        var installDb = Find("mariadb-install-db");
        var mariadbd = Find("mariadbd");
        if (installDb is null || mariadbd is null)
        {
            return (null, "MariaDB (mariadbd, mariadb-install-db) is not installed here: install the Debian package mariadb-server");
        }

        var data = Path.Combine(folder, "data");
        var socket = Path.Combine(folder, "mariadb.sock");
        var user = Environment.UserName == "root" ? new[] { "--user=root" } : [];
        var install = await RunAsync(installDb, ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", .. user], cancellationToken).ConfigureAwait(false);
        if (install != 0)
        {
            return (null, $"mariadb-install-db failed (exit code {install})");
        }

        var psi = new ProcessStartInfo(mariadbd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--no-defaults", "--skip-networking", $"--socket={socket}", $"--datadir={data}", $"--pid-file={Path.Combine(folder, "pid")}",
                     "--innodb-buffer-pool-size=32M", "--skip-log-bin", .. user])
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrivateMariaDb(process, socket);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await server.ExecuteAsync("SELECT 1", "", cancellationToken).ConfigureAwait(false);
                return (server, null);
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                return (null, $"the private MariaDB did not start ({ex.Message})");
            }
        }
    }

    public string Dsn(string database) => $"root@unix({Socket})/{database}";

    public async Task ExecuteAsync(string sql, string database, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = Socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Database = database,
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> DescribeAsync(string database, string table, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = Socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Database = database,
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new MySqlCommand($"SELECT * FROM `{table}` ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<int> RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(output, error).ConfigureAwait(false);
        return process.ExitCode;
    }
}
