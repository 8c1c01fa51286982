using Cellar.Databases.MySql;
using Cellar.Testing;
using MySqlConnector;

namespace Cellar.Databases.Tests.MySql;

/// <summary>
/// Big tables read in key ranges on several connections (as mydumper's --rows does): every row once,
/// all ranges from the dump's one snapshot, and a dump that loads back equal to its source.
/// </summary>
public sealed class RangeSplitTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static readonly DumpOptions Split = new() { Parallelism = 3, ChunkRows = 1000 };

    [Fact]
    public async Task A_big_table_with_an_integer_key_is_dumped_in_ranges_and_every_row_at_a_range_edge_loads_back_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("split_int");
        // Dense keys 1..5000 in 5 ranges: the cut points (1001, 2001, ...) are all rows. And the
        // extremes of signed and unsigned BIGINT, whose cut points lie beyond a long.
        await server.ExecuteAsync("""
            CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(40), data BLOB) ENGINE=InnoDB;
            INSERT INTO items SELECT seq, CONCAT('item ', seq), RANDOM_BYTES(16) FROM seq_1_to_5000;
            CREATE TABLE signed_wide (id BIGINT PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO signed_wide SELECT seq FROM seq_1_to_3000;
            INSERT INTO signed_wide VALUES (-9223372036854775808), (9223372036854775807);
            CREATE TABLE unsigned_wide (id BIGINT UNSIGNED PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO unsigned_wide SELECT seq FROM seq_0_to_3000;
            INSERT INTO unsigned_wide VALUES (18446744073709551615), (9223372036854775808);
            ANALYZE TABLE items, signed_wide, unsigned_wide;
            """, db);
        var store = new MemoryDumpStore();

        var summary = await MySqlDumper.DumpAsync(MySqlDsn.Parse(server.RootDsn(db)), store, Split, ct);

        store.Names.ShouldContain(DumpFileNames.ForTablePart("items", 4));
        store.Names.ShouldContain(DumpFileNames.ForTablePart("unsigned_wide", 1));
        summary.Tables.Single(t => t.Name == "items").Rows.ShouldBe(5000);
        summary.Tables.Single(t => t.Name == "unsigned_wide").Rows.ShouldBe(3003);
        await RestoreAndCompareAsync(db, store, ["items", "signed_wide", "unsigned_wide"], ct);
    }

    [Fact]
    public async Task Big_tables_with_a_text_or_binary_key_are_dumped_in_ranges_and_load_back_equal()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("split_text");
        // A case-insensitive key ('Node-1' and 'node-10' sort by the collation, not by bytes) and a binary key, as Cells' idx_tree uuids and MPATHs.
        await server.ExecuteAsync("""
            CREATE TABLE nodes (uuid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY, name VARCHAR(80)) ENGINE=InnoDB;
            INSERT INTO nodes SELECT CONCAT(IF(seq % 2 = 0, 'Node-', 'node-'), seq, IF(seq % 7 = 0, ' é😀', '')), CONCAT('n', seq) FROM seq_1_to_4500;
            CREATE TABLE paths (mpath VARBINARY(32) PRIMARY KEY, depth INT) ENGINE=InnoDB;
            INSERT INTO paths SELECT UNHEX(SHA2(seq, 256)), seq % 9 FROM seq_1_to_4500;
            ANALYZE TABLE nodes, paths;
            """, db);
        var store = new MemoryDumpStore();

        await MySqlDumper.DumpAsync(MySqlDsn.Parse(server.RootDsn(db)), store, Split, ct);

        store.Names.ShouldContain(DumpFileNames.ForTablePart("nodes", 1));
        store.Names.ShouldContain(DumpFileNames.ForTablePart("paths", 1));
        await RestoreAndCompareAsync(db, store, ["nodes", "paths"], ct);
    }

    [Fact]
    public async Task Tables_with_a_composite_key_or_no_key_stay_one_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("split_none");
        await server.ExecuteAsync("""
            CREATE TABLE pairs (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB;
            INSERT INTO pairs SELECT seq % 100, seq FROM seq_1_to_4000;
            CREATE TABLE loose (v INT, w VARCHAR(10)) ENGINE=InnoDB;
            INSERT INTO loose SELECT seq, 'x' FROM seq_1_to_4000;
            CREATE TABLE decimals (d DECIMAL(10,2) PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO decimals SELECT seq / 4 FROM seq_1_to_4000;
            ANALYZE TABLE pairs, loose, decimals;
            """, db);
        var store = new MemoryDumpStore();

        await MySqlDumper.DumpAsync(MySqlDsn.Parse(server.RootDsn(db)), store, Split, ct);

        store.Names.Where(n => n.Contains(".part", StringComparison.Ordinal)).ShouldBeEmpty();
        await RestoreAndCompareAsync(db, store, ["pairs", "loose", "decimals"], ct);
    }

    [Fact]
    public async Task All_ranges_of_a_table_come_from_one_snapshot_while_writers_move_amounts_and_insert_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await server.CreateDatabaseAsync("split_moment");
        await server.ExecuteAsync("""
            CREATE TABLE acct (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB;
            INSERT INTO acct SELECT seq, 1000 FROM seq_1_to_6000;
            ANALYZE TABLE acct;
            """, db);
        long commits = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            await using var connection = await server.OpenAsync(db);
            var random = new Random(11);
            while (!stop.IsCancellationRequested)
            {
                // Moves between the first and the last range, so ranges read at different moments would not add up.
                var (from, to) = (random.Next(1, 1000), random.Next(5001, 6001));
                var amount = random.Next(1, 50);
                await using var tx = await connection.BeginTransactionAsync();
                await using (var cmd = new MySqlCommand($"UPDATE acct SET balance = balance - {amount} WHERE id = {from}; UPDATE acct SET balance = balance + {amount} WHERE id = {to}", connection, tx))
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

        var engine = DatabaseEngines.MySql;
        var store = new MemoryDumpStore();
        DumpSummary summary;
        await using (var held = await engine.HoldAsync(engine.Parse(server.RootDsn(db)), store, Split, ct))
        {
            var seen = Interlocked.Read(ref commits);
            while (Interlocked.Read(ref commits) < seen + 50)
            {
                await Task.Delay(5, ct);
            }

            await server.ExecuteAsync("INSERT INTO acct SELECT 10000 + seq, 1 FROM seq_1_to_100; DELETE FROM acct WHERE id BETWEEN 2000 AND 2099;", db);
            summary = await held.CompleteAsync(ct);
        }

        await stop.CancelAsync();
        await writer;

        store.Names.ShouldContain(DumpFileNames.ForTablePart("acct", 1));
        summary.Tables.Single().Rows.ShouldBe(6000);
        var restored = $"{db}_restored";
        await engine.RestoreAsync(engine.Parse(server.RootDsn(restored)), store, cancellationToken: ct);
        await using var check = await server.OpenAsync(restored);
        await using var sum = new MySqlCommand("SELECT SUM(balance), COUNT(*) FROM acct", check);
        await using var reader = await sum.ExecuteReaderAsync(ct);
        (await reader.ReadAsync(ct)).ShouldBeTrue();
        reader.GetDecimal(0).ShouldBe(6_000_000m);
        reader.GetInt64(1).ShouldBe(6000);
    }

    private async Task RestoreAndCompareAsync(string db, MemoryDumpStore store, string[] tables, CancellationToken ct)
    {
        var restored = $"{db}_restored";
        await MySqlLoader.RestoreAsync(MySqlDsn.Parse(server.RootDsn(restored)), store, new RestoreOptions { Parallelism = 3 }, ct);
        foreach (var table in tables)
        {
            (await ChecksumAsync(restored, table, ct)).ShouldBe(await ChecksumAsync(db, table, ct), $"table {table}");
        }
    }

    private async Task<(long Rows, long Checksum)> ChecksumAsync(string db, string table, CancellationToken ct)
    {
        await using var connection = await server.OpenAsync(db);
        await using var count = new MySqlCommand($"SELECT COUNT(*) FROM `{table}`", connection);
        var rows = Convert.ToInt64(await count.ExecuteScalarAsync(ct));
        await using var cmd = new MySqlCommand($"CHECKSUM TABLE `{table}` EXTENDED", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        (await reader.ReadAsync(ct)).ShouldBeTrue();
        return (rows, reader.GetInt64(1));
    }
}
