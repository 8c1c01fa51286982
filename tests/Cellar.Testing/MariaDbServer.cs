using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using Xunit;

namespace Cellar.Testing;

/// <summary>
/// A private MariaDB server for tests: <c>mariadb-install-db</c> into a temp folder, then
/// <c>mariadbd --no-defaults</c> on a temp socket and a free TCP port (as root when run as root).
/// Share one per test class (<c>IClassFixture&lt;MariaDbServer&gt;</c>); each test makes its own database.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cellar-mariadb");
    private Process? _process;
    private int _databases;

    public string Socket => _dir.Combine("sock");

    public int Port { get; private set; }

    public string DataDirectory => _dir.Combine("data");

    /// <summary>A go-sql-driver DSN for root over the unix socket.</summary>
    public string RootDsn(string database = "") => $"root@unix({Socket})/{database}";

    public string TcpDsn(string user, string password, string database) => $"{user}:{password}@tcp(127.0.0.1:{Port})/{database}";

    public async ValueTask InitializeAsync()
    {
        var installDb = ExternalTool.Require("mariadb-install-db");
        var mariadbd = ExternalTool.Require("mariadbd");
        var asRoot = Environment.UserName == "root" || GetEuid() == 0;
        var userArgs = asRoot ? new[] { "--user=root" } : [];
        // A private temp dir: the shared /tmp may be cleaned while the server bootstraps (seen as
        // "Could not remove temporary table '/tmp/#sql-temptable-…'" on a busy machine).
        var tmp = _dir.Combine("tmp");
        Directory.CreateDirectory(tmp);
        userArgs = [.. userArgs, $"--tmpdir={tmp}"];
        var (code, _, error) = await ExternalTool.RunAsync(installDb,
            ["--no-defaults", $"--datadir={DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db", .. userArgs]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("mariadb-install-db failed: " + error);
        }

        Port = FreePort();
        var psi = new ProcessStartInfo(mariadbd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--no-defaults", "--skip-name-resolve", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                     $"--datadir={DataDirectory}", $"--pid-file={_dir.Combine("pid")}", "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M",
                     "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin", "--max-allowed-packet=64M", .. userArgs])
        {
            psi.ArgumentList.Add(arg);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start mariadbd");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = await OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A root connection (to <paramref name="database"/> when given).</summary>
    public async Task<MySqlConnection> OpenAsync(string database = "")
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = Socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Database = database,
            AllowUserVariables = true,
            Pooling = false,
            AllowZeroDateTime = true,
            TreatTinyAsBoolean = false,
            GuidFormat = MySqlGuidFormat.None,
            DefaultCommandTimeout = 0,
        }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    /// <summary>Creates a fresh empty database with a unique name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "db")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").ConfigureAwait(false);
        return name;
    }

    /// <summary>Creates a user with a password and the given grants (e.g. "SELECT, SHOW VIEW ON db.*").</summary>
    public async Task CreateUserAsync(string user, string password, params string[] grants)
    {
        await ExecuteAsync($"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY '{password}'").ConfigureAwait(false);
        await ExecuteAsync($"CREATE USER IF NOT EXISTS '{user}'@'localhost' IDENTIFIED BY '{password}'").ConfigureAwait(false);
        foreach (var grant in grants)
        {
            await ExecuteAsync($"GRANT {grant} TO '{user}'@'%'").ConfigureAwait(false);
            await ExecuteAsync($"GRANT {grant} TO '{user}'@'localhost'").ConfigureAwait(false);
        }
    }

    public async Task ExecuteAsync(string sql, string database = "")
    {
        await using var connection = await OpenAsync(database).ConfigureAwait(false);
        await using var cmd = new MySqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs the stock <c>mariadb</c> client against this server.</summary>
    public Task<(int ExitCode, string Out, string Error)> RunClientAsync(string database, string? stdin = null, params string[] extraArgs) =>
        ExternalTool.RunAsync(ExternalTool.Require("mariadb"), ["--no-defaults", $"--socket={Socket}", "-uroot", .. extraArgs, database], stdin: stdin);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
            }
        }

        _process?.Dispose();
        _dir.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}
