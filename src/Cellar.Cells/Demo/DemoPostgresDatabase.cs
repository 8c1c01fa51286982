using Cellar.Cells.Installation;
using Cellar.Databases.Postgres;

namespace Cellar.Cells.Demo;

/// <summary>The demo's database on a private PostgreSQL server in the demo folder.</summary>
internal sealed class DemoPostgresDatabase : DemoDatabase
{
    private readonly PrivatePostgres _server;

    private DemoPostgresDatabase(PrivatePostgres server) => _server = server;

    public override string Description => $"PostgreSQL database '{Name}' on a private server ({_server.SocketFolder})";

    public override string Dsn => _server.Dsn(Name);

    public static async Task<DemoDatabase> StartAsync(string folder, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            // As root the server runs as the postgres user, which must reach its folder inside the (private) demo folder.
            var parent = Path.GetDirectoryName(folder)!;
            File.SetUnixFileMode(parent, File.GetUnixFileMode(parent) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var (server, reason) = await PrivatePostgres.TryStartAsync(folder, cancellationToken).ConfigureAwait(false);
        return server is null
            ? throw new InstallationRefusedException($"the demo cannot start a private PostgreSQL: {reason}; or run the demo on SQLite (no --engine).")
            : new DemoPostgresDatabase(server);
    }

    public override async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _server.CreateDatabaseAsync(Name, cancellationToken).ConfigureAwait(false);
        await _server.QueryAsync(
            "CREATE TABLE idm_user_idx_tree (uuid varchar(128) PRIMARY KEY, name varchar(255) NOT NULL, mpath bytea);" +
            "INSERT INTO idm_user_idx_tree VALUES ('u-admin', 'admin', '\\x0001'), ('u-emile', 'émile', '\\x0002');" +
            "CREATE TABLE data_index_pydiods1_idx_tree (uuid varchar(128) PRIMARY KEY, name varchar(255), size bigint);" +
            "INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1', 'Welcome.md', 64), ('n2', 'holiday.jpg', 400000);", Name, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<IReadOnlyList<string>> TableRowsAsync(string table, CancellationToken cancellationToken)
    {
        var rows = await _server.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY 1", Name, cancellationToken).ConfigureAwait(false);
        return rows.Select(row => string.Join('|', row)).ToList();
    }

    public override async Task DropAsync(CancellationToken cancellationToken) =>
        await _server.QueryAsync($"DROP DATABASE {Name}", "postgres", cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => _server.DisposeAsync();
}
