using Cellar.Databases.Sqlite;
using Cellar.Testing;
using Microsoft.Data.Sqlite;

namespace Cellar.Databases.Tests.Sqlite;

/// <summary>SQLite files (Cells v5 accepts sqlite:// DSNs) go through the online backup API and come back identical, judged by the stock sqlite3 client's .dump.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SqliteEngineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void CreateHard(string path) => Execute(path, """
        PRAGMA journal_mode = WAL;
        CREATE TABLE hard (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB, r REAL, big INTEGER, t TEXT NOT NULL, j TEXT CHECK (json_valid(j)));
        INSERT INTO hard (b, r, big, t, j) VALUES (x'00ff10', -0.0, 9223372036854775807, 'tab	nl
        ''q'' 😀 é', '{"a": [1, 2.50]}'), (zeroblob(5000), 1e308, -9223372036854775808, '', 'null');
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 5000)
          INSERT INTO hard (b, r, big, t) SELECT randomblob(16), n / 7.0, n * 1000003, 'row ' || n FROM g;
        CREATE INDEX hard_t ON hard (t);
        CREATE TABLE log (id INTEGER PRIMARY KEY, hard_id INTEGER REFERENCES hard(id), note TEXT);
        CREATE TRIGGER hard_log AFTER INSERT ON hard BEGIN INSERT INTO log (hard_id, note) VALUES (NEW.id, 'added'); END;
        CREATE VIEW recent AS SELECT id, t FROM hard WHERE id > 4000;
        INSERT INTO hard (t) VALUES ('after trigger');
        """);

    private static async Task<string> StockDumpAsync(string path)
    {
        var (code, output, error) = await ExternalTool.RunAsync(ExternalTool.Require("sqlite3"), [path, ".dump"]);
        code.ShouldBe(0, error);
        return output;
    }

    [Fact]
    public async Task A_wal_database_restored_to_its_path_dumps_identically_with_the_stock_client_and_keeps_owner_mode_and_mtime()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("cells.db");
        CreateHard(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var mtime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, mtime);
        var expected = await StockDumpAsync(path);
        File.SetLastWriteTimeUtc(path, mtime);
        var dsn = DatabaseEngines.Parse($"sqlite://{path}?prefix={{{{.Meta.prefix}}}}", "sql");
        var store = new MemoryDumpStore();

        var dump = await dsn.Engine.DumpAsync(dsn, store, cancellationToken: Token);
        foreach (var file in Directory.GetFiles(dir.Path))
        {
            File.Delete(file);
        }

        var restored = await dsn.Engine.RestoreAsync(dsn, store, cancellationToken: Token);

        (await StockDumpAsync(path)).ShouldBe(expected);
        dump.Tables.Single(t => t.Name == "hard").Rows.ShouldBe(5003);
        dump.Tables.Single(t => t.Name == "log").Rows.ShouldBe(1);
        dump.Views.ShouldBe(1);
        dump.Triggers.ShouldBe(1);
        restored.TotalRows.ShouldBe(dump.TotalRows);
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }

    [Fact]
    public async Task Restore_keeps_the_original_mtime()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("cells.db");
        Execute(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
        var mtime = new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, mtime);
        var dsn = DatabaseEngines.Parse("sqlite://" + path);
        var store = new MemoryDumpStore();
        await dsn.Engine.DumpAsync(dsn, store, cancellationToken: Token);
        File.Delete(path);

        await dsn.Engine.RestoreAsync(dsn, store, cancellationToken: Token);

        File.GetLastWriteTimeUtc(path).ShouldBe(mtime);
    }

    [Fact]
    public async Task Restore_keeps_the_original_mtime_to_the_nanosecond_as_restic_keeps_file_times()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("cells.db");
        Execute(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
        (await ExternalTool.RunAsync("touch", ["-d", "2023-01-02 03:04:05.123456789Z", path])).ExitCode.ShouldBe(0);
        var before = (await ExternalTool.RunAsync("stat", ["-c", "%y", path])).Out;
        var dsn = DatabaseEngines.Parse("sqlite://" + path);
        var store = new MemoryDumpStore();
        await dsn.Engine.DumpAsync(dsn, store, cancellationToken: Token);
        File.Delete(path);

        await dsn.Engine.RestoreAsync(dsn, store, cancellationToken: Token);

        before.ShouldContain(".123456789");
        (await ExternalTool.RunAsync("stat", ["-c", "%y", path])).Out.ShouldBe(before);
    }

    [Fact]
    public async Task A_dump_taken_while_a_writer_commits_is_one_moment()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("busy.db");
        Execute(path, "PRAGMA journal_mode = WAL; CREATE TABLE a (x BLOB); CREATE TABLE b (x BLOB);" +
                      "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) INSERT INTO a SELECT randomblob(500) FROM g;" +
                      "INSERT INTO b SELECT x FROM a;");
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(() =>
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=60");
            connection.Open();
            while (!stop.IsCancellationRequested)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "BEGIN IMMEDIATE; INSERT INTO a VALUES (randomblob(500)); INSERT INTO b VALUES (randomblob(500)); COMMIT;";
                command.ExecuteNonQuery();
                writes++;
            }
        });
        await Task.Delay(100, Token);
        var dsn = DatabaseEngines.Parse("sqlite://" + path);

        var dump = await dsn.Engine.DumpAsync(dsn, new MemoryDumpStore(), cancellationToken: Token);
        await stop.CancelAsync();
        await writer;

        dump.Tables.Single(t => t.Name == "a").Rows.ShouldBe(dump.Tables.Single(t => t.Name == "b").Rows);
        writes.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Rows_committed_after_a_dump_is_held_are_not_in_it_even_when_read_later()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("held.db");
        Execute(path, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'before-hold');");
        var dsn = DatabaseEngines.Parse("sqlite://" + path);
        var store = new MemoryDumpStore();

        await using (var held = await dsn.Engine.HoldAsync(dsn, store, cancellationToken: Token))
        {
            Execute(path, "INSERT INTO users VALUES (2, 'after-hold');");
            (await held.CompleteAsync(Token)).Tables.Single(t => t.Name == "users").Rows.ShouldBe(1);
        }

        var target = DatabaseEngines.Parse("sqlite://" + dir.Combine("restored.db"));
        await dsn.Engine.RestoreAsync(target, store, cancellationToken: Token);
        await using var connection = new SqliteConnection($"Data Source={dir.Combine("restored.db")};Pooling=False");
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name) FROM users";
        (await command.ExecuteScalarAsync(Token)).ShouldBe("before-hold");
    }

    [Fact]
    public async Task Restore_refuses_a_file_with_tables_unless_forced()
    {
        using var dir = new TempDirectory();
        var source = dir.Combine("source.db");
        Execute(source, "CREATE TABLE t (x); INSERT INTO t VALUES (42);");
        var target = dir.Combine("target.db");
        Execute(target, "CREATE TABLE precious (y);");
        var store = new MemoryDumpStore();
        await DatabaseEngines.Sqlite.DumpAsync(DatabaseEngines.Parse("sqlite://" + source), store, cancellationToken: Token);

        var refused = await Should.ThrowAsync<DatabaseException>(() => DatabaseEngines.Sqlite.RestoreAsync(DatabaseEngines.Parse("sqlite://" + target), store, cancellationToken: Token));

        refused.Message.ShouldContain("--force");
        (await StockDumpAsync(target)).ShouldContain("precious");
        await DatabaseEngines.Sqlite.RestoreAsync(DatabaseEngines.Parse("sqlite://" + target), store, new RestoreOptions { Force = true }, Token);
        (await StockDumpAsync(target)).ShouldBe(await StockDumpAsync(source));
    }

    [Fact]
    public async Task Copy_makes_an_identical_file_and_refuses_to_copy_onto_itself()
    {
        using var dir = new TempDirectory();
        var source = dir.Combine("source.db");
        CreateHard(source);

        await DatabaseEngines.Sqlite.CopyAsync(DatabaseEngines.Parse("sqlite://" + source), DatabaseEngines.Parse("sqlite://" + dir.Combine("sub", "copy.db")), cancellationToken: Token);

        (await StockDumpAsync(dir.Combine("sub", "copy.db"))).ShouldBe(await StockDumpAsync(source));
        await Should.ThrowAsync<DatabaseException>(() =>
            DatabaseEngines.Sqlite.CopyAsync(DatabaseEngines.Parse("sqlite://" + source), DatabaseEngines.Parse("sqlite://" + source), cancellationToken: Token));
    }

    [Fact]
    public async Task Probe_reports_version_tables_and_size_and_a_missing_file_is_a_sentence()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("cells.db");
        CreateHard(path);

        var info = await DatabaseEngines.Sqlite.ProbeAsync(DatabaseEngines.Parse("sqlite://" + path), Token);
        var missing = await Should.ThrowAsync<DatabaseException>(() => DatabaseEngines.Sqlite.ProbeAsync(DatabaseEngines.Parse("sqlite://" + dir.Combine("nope.db")), Token));

        info.Version.ShouldStartWith("SQLite 3.");
        info.Tables.ShouldBe(2);
        info.Bytes.ShouldBeGreaterThan(10_000);
        missing.Message.ShouldContain("does not exist");
    }

    [Fact]
    public void Dsn_forms_cells_writes_are_read_and_kept_verbatim()
    {
        var dsn = DatabaseEngines.Parse("sqlite:///var/cells/cells.db?prefix={{.Meta.prefix}}&_pragma=busy_timeout(5000)", "sql").ShouldBeOfType<SqliteDsn>();
        var relative = DatabaseEngines.Parse("sqlite://cells.db", "sql").ResolveRelativeTo("/var/cells");

        dsn.Path.ShouldBe("/var/cells/cells.db");
        dsn.LocalFile.ShouldBe("/var/cells/cells.db");
        dsn.ToConfigText().ShouldBe("sqlite:///var/cells/cells.db?prefix={{.Meta.prefix}}&_pragma=busy_timeout(5000)");
        relative.LocalFile.ShouldBe("/var/cells/cells.db");
        DatabaseEngines.Parse("/srv/x.db", "sqlite3").ShouldBeOfType<SqliteDsn>().Path.ShouldBe("/srv/x.db");
    }
}
