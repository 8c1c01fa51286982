using Cellar.Testing;
using MySqlConnector;

using Cellar.Databases.MySql;

namespace Cellar.Databases.Tests.MySql;

public sealed class ConsistencyTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Dump_taken_while_transfers_run_between_two_tables_is_one_moment()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("bank");
        await server.ExecuteAsync("""
            CREATE TABLE acct_a (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB;
            CREATE TABLE acct_b (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB;
            CREATE TABLE filler (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB;
            INSERT INTO acct_a SELECT seq, 1000 FROM seq_1_to_100;
            INSERT INTO acct_b SELECT seq, 1000 FROM seq_1_to_100;
            INSERT INTO filler SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000;
            """, db);

        long commits = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            await using var connection = await server.OpenAsync(db);
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var (from, to) = random.Next(2) == 0 ? ("acct_a", "acct_b") : ("acct_b", "acct_a");
                var amount = random.Next(1, 50);
                await using var tx = await connection.BeginTransactionAsync();
                await using (var cmd = new MySqlCommand($"UPDATE {from} SET balance = balance - {amount} WHERE id = {random.Next(1, 101)}", connection, tx))
                {
                    await cmd.ExecuteNonQueryAsync();
                }

                await using (var cmd = new MySqlCommand($"UPDATE {to} SET balance = balance + {amount} WHERE id = {random.Next(1, 101)}", connection, tx))
                {
                    await cmd.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
                Interlocked.Increment(ref commits);
            }
        }, ct);

        while (Interlocked.Read(ref commits) < 10)
        {
            await Task.Delay(10, ct);
        }

        // After the first table is written, hold that worker until the writer has committed more
        // transfers: the other tables are then read after those commits, and must not see them.
        var heldOnce = 0;
        var options = new DumpOptions
        {
            Parallelism = 3,
            OnTableDone = _ =>
            {
                if (Interlocked.Exchange(ref heldOnce, 1) == 0)
                {
                    var target = Interlocked.Read(ref commits) + 50;
                    while (Interlocked.Read(ref commits) < target)
                    {
                        Thread.Sleep(5);
                    }
                }
            },
        };
        using var dir = new TempDirectory();
        var summary = await MySqlDumper.DumpAsync(MySqlDsn.Parse(server.RootDsn(db)), new DirectoryDumpSink(dir.Path), options, ct);
        await stop.CancelAsync();
        await writer;

        summary.Guarantee.ShouldBe(ConsistencyGuarantee.AllTablesOneMoment);
        var restored = $"{db}_restored";
        await MySqlLoader.RestoreAsync(MySqlDsn.Parse(server.RootDsn(restored)), new DirectoryDumpSource(dir.Path), cancellationToken: ct);
        await using var check = await server.OpenAsync(restored);
        await using var sum = new MySqlCommand("SELECT (SELECT SUM(balance) FROM acct_a) + (SELECT SUM(balance) FROM acct_b)", check);
        Convert.ToInt64(await sum.ExecuteScalarAsync(ct)).ShouldBe(200_000);
        await using var moved = new MySqlCommand("SELECT COUNT(*) FROM acct_a WHERE balance <> 1000", check);
        Convert.ToInt64(await moved.ExecuteScalarAsync(ct)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Rows_committed_after_a_dump_is_held_are_not_in_it_even_when_read_later()
    {
        // The quiesced installation backup holds the moment while Cells is stopped and reads the rows after it starts again.
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("held");
        await server.ExecuteAsync("""
            CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
            CREATE TABLE events (id INT PRIMARY KEY, what VARCHAR(40)) ENGINE=InnoDB;
            INSERT INTO users VALUES (1, 'before-hold');
            INSERT INTO events SELECT seq, 'old' FROM seq_1_to_1000;
            """, db);
        var store = new MemoryDumpStore();
        var engine = DatabaseEngines.MySql;
        var dsn = engine.Parse(server.RootDsn(db));

        await using var held = await engine.HoldAsync(dsn, store, new DumpOptions { Parallelism = 2 }, ct);
        await server.ExecuteAsync("INSERT INTO users VALUES (2, 'after-hold'); DELETE FROM events WHERE id <= 500; CREATE TABLE later (id INT PRIMARY KEY);", db);
        var summary = await held.CompleteAsync(ct);

        summary.Tables.Select(t => t.Name).ShouldBe(["events", "users"], ignoreOrder: true);
        summary.Tables.Single(t => t.Name == "users").Rows.ShouldBe(1);
        summary.Tables.Single(t => t.Name == "events").Rows.ShouldBe(1000);
        var restored = $"{db}_restored";
        await engine.RestoreAsync(engine.Parse(server.RootDsn(restored)), store, cancellationToken: ct);
        await using var check = await server.OpenAsync(restored);
        await using var names = new MySqlCommand("SELECT GROUP_CONCAT(name) FROM users", check);
        (await names.ExecuteScalarAsync(ct)).ShouldBe("before-hold");
    }
}
