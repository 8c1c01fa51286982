using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Cellar.Testing;

/// <summary>
/// A private PostgreSQL server for tests: <c>initdb</c> into a temp folder and <c>pg_ctl start</c>
/// with the socket in that folder and a free TCP port on 127.0.0.1 (trust authentication). As root
/// it runs as the <c>postgres</c> user (PostgreSQL refuses root), which owns the folder. About a
/// second to start. Share one per test class; each test makes its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cellar-postgres");
    private int _databases;

    public string SocketFolder => _dir.Combine("run");

    public int Port { get; private set; }

    public string DataDirectory => _dir.Combine("data");

    /// <summary>The <c>bin</c> folder of the newest installed PostgreSQL server.</summary>
    public static string? BinFolder =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0)
                .FirstOrDefault()
            : null;

    /// <summary>A DSN as Cells v5 writes one for a socket: <c>postgres://postgres@/DB?host=%2F…&amp;port=N</c>.</summary>
    public string SocketDsn(string database) => $"postgres://postgres@/{database}?host={Uri.EscapeDataString(SocketFolder)}&port={Port}";

    /// <summary>A TCP DSN as Cells v5 writes one: <c>postgres://user:pw@127.0.0.1:PORT/DB?sslmode=disable</c>.</summary>
    public string TcpDsn(string database, string user = "postgres", string password = "secret") =>
        $"postgres://{user}:{password}@127.0.0.1:{Port}/{database}?sslmode=disable";

    public async ValueTask InitializeAsync()
    {
        var bin = BinFolder ?? throw new InvalidOperationException("PostgreSQL (initdb, pg_ctl) is not installed; .ci/run installs the Debian package postgresql.");
        Directory.CreateDirectory(SocketFolder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            var (chown, _, error) = await ExternalTool.RunAsync("chown", ["-R", "postgres:postgres", _dir.Path]).ConfigureAwait(false);
            if (chown != 0)
            {
                throw new InvalidOperationException("chown to the postgres user failed: " + error);
            }
        }

        await RunAsync(asRoot, Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]).ConfigureAwait(false);
        Port = FreePort();
        var options = $"-k {SocketFolder} -p {Port} -F -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=32MB";
        await RunAsync(asRoot, Path.Combine(bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", _dir.Combine("server.log"), "-o", options]).ConfigureAwait(false);
    }

    /// <summary>Creates a fresh empty database with a unique name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "db")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        await PsqlAsync("postgres", $"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs SQL through the stock <c>psql</c> (stops at the first error); returns its unaligned, tab-separated output.</summary>
    public async Task<string> PsqlAsync(string database, string sql)
    {
        var (code, output, error) = await ExternalTool.RunAsync(Path.Combine(BinFolder!, "psql"),
            ["-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", SocketFolder, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database],
            env: new Dictionary<string, string> { ["PGTZ"] = "UTC", ["PGCLIENTENCODING"] = "UTF8" }, stdin: sql).ConfigureAwait(false);
        return code == 0 ? output : throw new InvalidOperationException($"psql failed ({code}): {error}");
    }

    /// <summary>
    /// A signature of a database that does not trust Cellar: for every table in name order, its row
    /// count and the MD5 of its rows' text forms in sorted order (psql), every sequence's state, and
    /// the schema as <c>pg_dump --schema-only</c> prints it (owners and privileges left out).
    /// </summary>
    public async Task<string> SignatureAsync(string database)
    {
        var tables = (await PsqlAsync(database,
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        foreach (var table in tables)
        {
            lines.Add(table + " " + (await PsqlAsync(database,
                $"SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text COLLATE \"C\")), '-') FROM {table} r").ConfigureAwait(false)).Trim());
        }

        var sequences = (await PsqlAsync(database,
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences ORDER BY 1").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var sequence in sequences)
        {
            lines.Add(sequence + " " + (await PsqlAsync(database, $"SELECT last_value || ' ' || is_called FROM {sequence}").ConfigureAwait(false)).Trim());
        }

        var (code, schema, error) = await ExternalTool.RunAsync(Path.Combine(BinFolder!, "pg_dump"),
            ["--schema-only", "--no-owner", "--no-privileges", "-h", SocketFolder, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", database]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("pg_dump --schema-only failed: " + error);
        }

        // pg_dump 15.14+ brackets its script with \restrict KEY / \unrestrict KEY, a random key per run.
        lines.AddRange(schema.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith("\\restrict", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (BinFolder is { } bin && Directory.Exists(DataDirectory))
        {
            try
            {
                await RunAsync(Environment.UserName == "root", Path.Combine(bin, "pg_ctl"), ["stop", "-m", "immediate", "-D", DataDirectory]).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
            }
        }

        _dir.Dispose();
    }

    private static async Task RunAsync(bool asRoot, string program, string[] args)
    {
        var (code, _, error) = asRoot
            ? await ExternalTool.RunAsync("runuser", ["-u", "postgres", "--", program, .. args]).ConfigureAwait(false)
            : await ExternalTool.RunAsync(program, args).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({code}): {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
