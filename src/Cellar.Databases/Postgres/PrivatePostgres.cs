using System.Diagnostics;
using System.Globalization;

namespace Cellar.Databases.Postgres;

/// <summary>
/// A throw-away PostgreSQL server (for <c>cellar demo</c> and <c>cellar drill</c>): <c>initdb</c> into a folder of its own
/// and <c>pg_ctl start</c> with the socket in that folder and no TCP listener; as root it runs as
/// the <c>postgres</c> user (PostgreSQL refuses root), which then owns the folder. Stopped
/// (<c>pg_ctl stop</c> on its own data folder) when disposed. Needs the Debian package
/// <c>postgresql</c> (initdb, pg_ctl, createdb under <c>/usr/lib/postgresql/N/bin</c>).
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const int Port = 5432;
    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asRoot;

    private PrivatePostgres(string bin, string folder, bool asRoot)
    {
        _bin = bin;
        _data = Path.Combine(folder, "data");
        SocketFolder = Path.Combine(folder, "run");
        _asRoot = asRoot;
    }

    public string SocketFolder { get; }

    /// <summary>Starts one; null (with the reason, naming the package) when PostgreSQL is not installed or does not start.</summary>
    public static async Task<(PrivatePostgres? Server, string? Reason)> TryStartAsync(string folder, CancellationToken cancellationToken)
    {
        var bin = BinFolder();
        if (bin is null)
        {
            return (null, "PostgreSQL (initdb, pg_ctl) is not installed here: install the Debian package postgresql");
        }

        var asRoot = Environment.UserName == "root";
        var server = new PrivatePostgres(bin, folder, asRoot);
        Directory.CreateDirectory(server.SocketFolder);
        if (asRoot && await RunAsync(false, "chown", ["-R", "postgres:postgres", folder], cancellationToken).ConfigureAwait(false) is { Code: not 0 } chown)
        {
            return (null, "the scratch folder could not be given to the postgres user: " + chown.Error.Trim());
        }

        var init = await RunAsync(asRoot, Path.Combine(bin, "initdb"), ["-D", server._data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], cancellationToken).ConfigureAwait(false);
        if (init.Code != 0)
        {
            return (null, $"initdb failed (exit code {init.Code}): {init.Error.Trim()}" + (asRoot ? " (the postgres user must be able to reach every folder above the scratch folder)" : ""));
        }

        var options = $"-k {server.SocketFolder} -p {Port.ToString(CultureInfo.InvariantCulture)} -F -c listen_addresses= -c max_connections=40 -c shared_buffers=32MB";
        var start = await RunAsync(asRoot, Path.Combine(bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", server._data, "-l", Path.Combine(folder, "server.log"), "-o", options], cancellationToken).ConfigureAwait(false);
        if (start.Code != 0)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            return (null, $"the private PostgreSQL did not start (exit code {start.Code}): {start.Error.Trim()}");
        }

        return (server, null);
    }

    /// <summary>A DSN as Cells v5 writes one for a socket.</summary>
    public string Dsn(string database) => $"postgres://postgres@/{database}?host={Uri.EscapeDataString(SocketFolder)}&port={Port.ToString(CultureInfo.InvariantCulture)}&sslmode=disable";

    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        var result = await RunAsync(_asRoot, Path.Combine(_bin, "createdb"), ["-h", SocketFolder, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-E", "UTF8", "-T", "template0", database], cancellationToken).ConfigureAwait(false);
        if (result.Code != 0)
        {
            throw new DatabaseException($"the database {database} could not be created on the private PostgreSQL: {result.Error.Trim()}");
        }
    }

    /// <summary>Runs SQL in <paramref name="database"/> through psql; the rows (tab-separated columns) it returns.</summary>
    public Task<IReadOnlyList<string[]>> QueryAsync(string sql, string database, CancellationToken cancellationToken) =>
        Internal.PgTools.QueryAsync(PostgresDsn.Parse(Dsn(database)), sql, "running SQL on the private PostgreSQL", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(_data))
        {
            await RunAsync(_asRoot, Path.Combine(_bin, "pg_ctl"), ["stop", "-w", "-m", "immediate", "-D", _data], CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The <c>bin</c> folder of the newest installed PostgreSQL server, or null.</summary>
    public static string? BinFolder() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0)
                .FirstOrDefault()
            : null;

    private static async Task<(int Code, string Error)> RunAsync(bool asPostgres, string program, string[] args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", program })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await output.ConfigureAwait(false);
        return (process.ExitCode, await error.ConfigureAwait(false));
    }
}
