using System.Net;
using System.Net.Sockets;
using Cellar.Testing;

using Cellar.Databases.MySql;

namespace Cellar.Databases.Tests.MySql;

public sealed class ErrorTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Wrong_password_is_a_sentence_without_the_password()
    {
        var db = await server.CreateDatabaseAsync("err");
        await server.CreateUserAsync("alice", "right-password", $"ALL ON `{db}`.*");
        var dsn = MySqlDsn.Parse(server.TcpDsn("alice", "wrong-password-xyz", db));
        var error = await Should.ThrowAsync<DatabaseException>(() => MySqlDumper.DumpAsync(dsn, new DirectoryDumpSink(Path.GetTempPath())));
        error.Message.ShouldContain("wrong user name or password");
        error.Message.ShouldNotContain("wrong-password-xyz");
    }

    [Fact]
    public async Task Unknown_database_is_named()
    {
        var dsn = MySqlDsn.Parse(server.RootDsn("no_such_db"));
        using var dir = new TempDirectory();
        var error = await Should.ThrowAsync<DatabaseException>(() => MySqlDumper.DumpAsync(dsn, new DirectoryDumpSink(dir.Path)));
        error.Message.ShouldContain("'no_such_db' does not exist");
    }

    [Fact]
    public async Task Unreachable_server_says_so()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var dsn = MySqlDsn.Parse($"u:topsecret@tcp(127.0.0.1:{port})/x");
        using var dir = new TempDirectory();
        var error = await Should.ThrowAsync<DatabaseException>(() => MySqlDumper.DumpAsync(dsn, new DirectoryDumpSink(dir.Path)));
        error.Message.ShouldContain("cannot reach the database server at 127.0.0.1:" + port);
        error.Message.ShouldNotContain("topsecret");
    }

    [Fact]
    public async Task A_value_the_target_cannot_take_names_the_table_and_the_complete_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("narrow");
        await server.ExecuteAsync("CREATE TABLE ok (id INT PRIMARY KEY); INSERT INTO ok VALUES (1); CREATE TABLE wide (v VARCHAR(20)); INSERT INTO wide VALUES ('twenty characters!!!');", db);
        using var dir = new TempDirectory();
        await MySqlDumper.DumpAsync(MySqlDsn.Parse(server.RootDsn(db)), new DirectoryDumpSink(dir.Path), cancellationToken: ct);
        var file = dir.Combine(DumpFileNames.ForTable("wide"));
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, ct)).Replace("varchar(20)", "varchar(5)"), ct);
        var error = await Should.ThrowAsync<RestoreException>(() =>
            MySqlLoader.RestoreAsync(MySqlDsn.Parse(server.RootDsn(db + "_t")), new DirectoryDumpSource(dir.Path), new RestoreOptions { Parallelism = 1 }));
        error.Message.ShouldContain("`wide`");
        error.Message.ShouldContain("cannot take a value");
        error.CompleteTables.ShouldBe(["ok"]);
        error.IncompleteTables.ShouldBe(["wide"]);
    }
}
