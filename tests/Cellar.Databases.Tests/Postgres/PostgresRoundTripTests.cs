using Cellar.Databases.Postgres;
using Cellar.Testing;

namespace Cellar.Databases.Tests.Postgres;

/// <summary>A PostgreSQL database with the hard types comes back identical, judged by a psql/pg_dump signature that does not trust Cellar.</summary>
public sealed class PostgresRoundTripTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DatabaseDsn Dsn(string database) => DatabaseEngines.Parse(server.SocketDsn(database), "sql");

    private async Task<(string Source, string Expected)> HardSourceAsync()
    {
        var source = await server.CreateDatabaseAsync("hard");
        await PostgresHardDatabase.CreateAsync(server, source);
        return (source, await server.SignatureAsync(source));
    }

    [Fact]
    public async Task Dump_loaded_by_the_stock_pg_restore_is_identical()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var summary = await DatabaseEngines.Postgres.DumpAsync(Dsn(source), new DirectoryDumpSink(dir.Combine("dump")), cancellationToken: Token);

        var target = await server.CreateDatabaseAsync("stock");
        var (code, _, error) = await ExternalTool.RunAsync(Path.Combine(PostgresServer.BinFolder!, "pg_restore"),
            ["-h", server.SocketFolder, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", target, "--exit-on-error", dir.Combine("dump")]);
        error.ShouldBeEmpty();
        code.ShouldBe(0);
        (await server.SignatureAsync(target)).ShouldBe(expected);
        summary.Tables.Single(t => t.Name == "public.hard").Rows.ShouldBe(3003);
        summary.Tables.Single(t => t.Name == "public.child").Rows.ShouldBe(300);
        summary.Views.ShouldBe(1);
        summary.Triggers.ShouldBe(1);
        summary.Guarantee.ShouldBe(ConsistencyGuarantee.AllTablesOneMoment);
    }

    [Fact]
    public async Task Restore_from_a_source_that_is_not_a_folder_creates_the_database_and_is_identical()
    {
        var (source, expected) = await HardSourceAsync();
        var store = new MemoryDumpStore();
        await DatabaseEngines.Postgres.DumpAsync(Dsn(source), store, cancellationToken: Token);
        store.Names.ShouldContain(PostgresDumpHeader.FileName);
        store.Names.ShouldContain("toc.dat");

        var target = "restored_" + Guid.NewGuid().ToString("N")[..8];
        var restored = await DatabaseEngines.Postgres.RestoreAsync(Dsn(target), store, new RestoreOptions { Parallelism = 2 }, Token);

        (await server.SignatureAsync(target)).ShouldBe(expected);
        restored.TotalRows.ShouldBe(3003 + 300 + 2);
    }

    [Fact]
    public async Task Restore_refuses_a_database_with_tables_unless_forced_and_forced_it_replaces_the_dumped_schemas()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        await DatabaseEngines.Postgres.DumpAsync(Dsn(source), new DirectoryDumpSink(dir.Combine("dump")), cancellationToken: Token);
        var target = await server.CreateDatabaseAsync("busy");
        await server.PsqlAsync(target, "CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (1); CREATE TABLE hard (other text);");

        var refused = await Should.ThrowAsync<DatabaseException>(() =>
            DatabaseEngines.Postgres.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Combine("dump")), cancellationToken: Token));
        refused.Message.ShouldContain("--force");
        (await server.PsqlAsync(target, "SELECT count(*) FROM keep_me")).Trim().ShouldBe("1");

        await DatabaseEngines.Postgres.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Combine("dump")), new RestoreOptions { Force = true }, Token);
        (await server.SignatureAsync(target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Copy_into_another_database_is_identical()
    {
        var (source, expected) = await HardSourceAsync();
        var target = "copy_" + Guid.NewGuid().ToString("N")[..8];

        var copy = await DatabaseEngines.Postgres.CopyAsync(Dsn(source), DatabaseEngines.Parse(server.TcpDsn(target)), cancellationToken: Token);

        (await server.SignatureAsync(target)).ShouldBe(expected);
        copy.Dump.Tables.Count.ShouldBe(copy.Restore.Tables.Count);
    }

    [Fact]
    public async Task Copy_onto_itself_is_refused()
    {
        var source = await server.CreateDatabaseAsync("self");

        var ex = await Should.ThrowAsync<DatabaseException>(() => DatabaseEngines.Postgres.CopyAsync(Dsn(source), Dsn(source), cancellationToken: Token));

        ex.Message.ShouldContain("same database");
    }

    [Fact]
    public async Task A_dump_taken_while_a_writer_commits_is_one_moment()
    {
        // Each transaction adds one row to each of two tables: any moment has equal counts.
        var source = await server.CreateDatabaseAsync("busy");
        await server.PsqlAsync(source, "CREATE TABLE a (id serial PRIMARY KEY, pad text); CREATE TABLE b (id serial PRIMARY KEY, pad text); " +
                                       "INSERT INTO a (pad) SELECT repeat('a', 200) FROM generate_series(1, 20000); INSERT INTO b (pad) SELECT repeat('b', 200) FROM generate_series(1, 20000);");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var script = string.Concat(Enumerable.Repeat("BEGIN; INSERT INTO a (pad) VALUES ('w'); INSERT INTO b (pad) VALUES ('w'); COMMIT;\n", 200));
            while (!stop.IsCancellationRequested)
            {
                await server.PsqlAsync(source, script);
            }
        });
        await Task.Delay(300, Token);
        var store = new MemoryDumpStore();
        var dump = await DatabaseEngines.Postgres.DumpAsync(Dsn(source), store, new DumpOptions { Parallelism = 2 }, Token);
        await stop.CancelAsync();
        await writer;

        var rowsA = dump.Tables.Single(t => t.Name == "public.a").Rows;
        rowsA.ShouldBe(dump.Tables.Single(t => t.Name == "public.b").Rows);
        rowsA.ShouldBeGreaterThan(20000);
        var target = "moment_" + Guid.NewGuid().ToString("N")[..8];
        await DatabaseEngines.Postgres.RestoreAsync(Dsn(target), store, cancellationToken: Token);
        (await server.PsqlAsync(target, "SELECT (SELECT count(*) FROM a) = (SELECT count(*) FROM b), (SELECT count(*) FROM a)")).Trim().ShouldBe($"t\t{rowsA}");
        long.Parse((await server.PsqlAsync(source, "SELECT count(*) FROM a")).Trim(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(rowsA);
    }

    [Fact]
    public async Task Probe_reports_the_server_version_tables_and_size()
    {
        var (source, _) = await HardSourceAsync();

        var info = await DatabaseEngines.Postgres.ProbeAsync(Dsn(source), Token);

        info.Engine.ShouldBe("postgres");
        info.Version.ShouldStartWith("PostgreSQL ");
        info.Tables.ShouldBe(4);
        info.Bytes.ShouldBeGreaterThan(1_000_000);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_sentence_without_the_password()
    {
        var dsn = DatabaseEngines.Parse("postgres://cells:TopSecret@127.0.0.1:1/cells?sslmode=disable");

        var ex = await Should.ThrowAsync<DatabaseException>(() => DatabaseEngines.Postgres.ProbeAsync(dsn, Token));

        ex.Message.ShouldContain("cannot reach the PostgreSQL server at 127.0.0.1:1");
        ex.Message.ShouldNotContain("TopSecret");
    }

    [Fact]
    public async Task Rows_committed_after_a_dump_is_held_are_not_in_it_even_when_read_later()
    {
        // The exported snapshot (pg_export_snapshot in a held transaction, pg_dump --snapshot) fixes the moment at HoldAsync.
        var source = await server.CreateDatabaseAsync("held");
        await server.PsqlAsync(source, "CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'before-hold');");
        var store = new MemoryDumpStore();

        await using (var held = await DatabaseEngines.Postgres.HoldAsync(Dsn(source), store, new DumpOptions { Parallelism = 2 }, Token))
        {
            await server.PsqlAsync(source, "INSERT INTO users VALUES (2, 'after-hold');");
            var summary = await held.CompleteAsync(Token);
            summary.Tables.Single(t => t.Name == "public.users").Rows.ShouldBe(1);
        }

        var target = "held_" + Guid.NewGuid().ToString("N")[..8];
        await DatabaseEngines.Postgres.RestoreAsync(Dsn(target), store, cancellationToken: Token);
        (await server.PsqlAsync(target, "SELECT string_agg(name, ',') FROM users")).Trim().ShouldBe("before-hold");
        (await server.PsqlAsync(source, "SELECT count(*) FROM users")).Trim().ShouldBe("2");
    }
}
