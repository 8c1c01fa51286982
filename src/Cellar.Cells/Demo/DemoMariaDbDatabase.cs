using Cellar.Cells.Installation;
using Cellar.Databases.MySql;

namespace Cellar.Cells.Demo;

/// <summary>The demo's database on a private MariaDB server in the demo folder.</summary>
internal sealed class DemoMariaDbDatabase : DemoDatabase
{
    private readonly PrivateMariaDb _server;

    private DemoMariaDbDatabase(PrivateMariaDb server) => _server = server;

    public override string Description => $"MariaDB database '{Name}' on a private server ({_server.Socket})";

    public override string Dsn => "mysql://" + _server.Dsn(Name) + "?parseTime=true";

    public static async Task<DemoDatabase> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var (server, reason) = await PrivateMariaDb.TryStartAsync(folder, cancellationToken).ConfigureAwait(false);
        return server is null
            ? throw new InstallationRefusedException($"the demo cannot start a private MariaDB: {reason}; or run the demo on SQLite (no --engine).")
            : new DemoMariaDbDatabase(server);
    }

    public override async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _server.ExecuteAsync($"CREATE DATABASE {Name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "", cancellationToken).ConfigureAwait(false);
        await _server.ExecuteAsync(
            "CREATE TABLE idm_user_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255) NOT NULL, mpath BLOB);" +
            "INSERT INTO idm_user_idx_tree VALUES ('u-admin','admin',UNHEX('0001')),('u-emile','émile',UNHEX('0002'));" +
            "CREATE TABLE data_index_pydiods1_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255), size BIGINT);" +
            "INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1','Welcome.md',64),('n2','holiday.jpg',400000);", Name, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<IReadOnlyList<string>> TableRowsAsync(string table, CancellationToken cancellationToken) =>
        (await _server.DescribeAsync(Name, table, cancellationToken).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override Task DropAsync(CancellationToken cancellationToken) => _server.ExecuteAsync($"DROP DATABASE {Name}", "", cancellationToken);

    public override ValueTask DisposeAsync() => _server.DisposeAsync();
}
