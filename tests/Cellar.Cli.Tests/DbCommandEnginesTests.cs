using Cellar.Databases.Tests.Postgres;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar db dump/restore/copy</c> on PostgreSQL and SQLite, judged by psql/pg_dump and the stock sqlite3 client.</summary>
public sealed class DbCommandEnginesTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task PostgreSQL_dump_restore_and_copy_give_equal_databases_and_a_second_restore_needs_force()
    {
        var source = await server.CreateDatabaseAsync("cli_src");
        await PostgresHardDatabase.CreateAsync(server, source);
        var expected = await server.SignatureAsync(source);
        using var dir = new TempDirectory();
        var dumpDir = dir.Combine("dump");

        var (code, _, error) = await CliHarness.RunAsync(null, "db", "dump", "--dsn", server.SocketDsn(source), "--dir", dumpDir);
        code.ShouldBe(0, error);
        error.ShouldContain("consistency: every table from one moment");
        var target = "cli_restored_" + Guid.NewGuid().ToString("N")[..8];
        (code, var output, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.SocketDsn(target), dumpDir);
        code.ShouldBe(0, error);
        output.ShouldContain("restored 4 tables");
        (await server.SignatureAsync(target)).ShouldBe(expected);

        (code, _, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.SocketDsn(target), dumpDir);
        code.ShouldBe(1);
        error.ShouldContain("--force");

        var copy = "cli_copy_" + Guid.NewGuid().ToString("N")[..8];
        (code, _, error) = await CliHarness.RunAsync(null, "db", "copy", "--dsn", server.SocketDsn(source), "--to", server.TcpDsn(copy));
        code.ShouldBe(0, error);
        (await server.SignatureAsync(copy)).ShouldBe(expected);
    }

    [Fact]
    public async Task A_single_script_is_refused_for_PostgreSQL_with_a_usage_error()
    {
        var (code, _, error) = await CliHarness.RunAsync(null, "db", "dump", "--dsn", server.SocketDsn("postgres"), "-o", "/tmp/never.sql");

        code.ShouldBe(2);
        error.ShouldContain("--dir");
    }

    [Fact]
    public async Task SQLite_dump_restore_and_copy_give_equal_files()
    {
        using var dir = new TempDirectory();
        var source = dir.Combine("cells.db");
        await SqliteAsync(source, "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT); INSERT INTO t VALUES (1, x'00ff', 'é'), (2, NULL, 'two');");
        var expected = await SqliteAsync(source, ".dump");

        var (code, _, error) = await CliHarness.RunAsync(null, "db", "dump", "--dsn", "sqlite://" + source, "--dir", dir.Combine("dump"));
        code.ShouldBe(0, error);
        (code, _, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", "sqlite://" + dir.Combine("restored.db"), dir.Combine("dump"));
        code.ShouldBe(0, error);
        (code, _, error) = await CliHarness.RunAsync(null, "db", "copy", "--dsn", "sqlite://" + source, "--to", "sqlite://" + dir.Combine("copy.db"));
        code.ShouldBe(0, error);

        (await SqliteAsync(dir.Combine("restored.db"), ".dump")).ShouldBe(expected);
        (await SqliteAsync(dir.Combine("copy.db"), ".dump")).ShouldBe(expected);
    }

    private static async Task<string> SqliteAsync(string file, string sql)
    {
        var (code, output, error) = await ExternalTool.RunAsync(ExternalTool.Require("sqlite3"), [file], stdin: sql);
        code.ShouldBe(0, error);
        return output;
    }
}
