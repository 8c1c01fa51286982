using Cellar.Testing;

using Cellar.Databases.MySql;

namespace Cellar.Databases.Tests.MySql;

public sealed class RoundTripTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private MySqlDsn Dsn(string database) => MySqlDsn.Parse(server.RootDsn(database));

    private async Task<(string Source, string Expected)> HardSourceAsync()
    {
        var source = await server.CreateDatabaseAsync("hard");
        await HardDatabase.CreateAsync(server, source);
        return (source, await DatabaseComparer.DescribeAsync(server, source));
    }

    [Fact]
    public async Task Single_file_dump_loaded_by_the_stock_client_is_bit_identical()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var file = dir.Combine("dump.sql");
        await using (var output = File.Create(file))
        {
            await MySqlDumper.DumpToStreamAsync(Dsn(source), output, cancellationToken: TestContext.Current.CancellationToken);
        }

        var target = await server.CreateDatabaseAsync("stock");
        var (code, _, error) = await server.RunClientAsync(target, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        error.ShouldBeEmpty();
        code.ShouldBe(0);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Per_table_dump_restored_in_parallel_is_bit_identical()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var summary = await MySqlDumper.DumpAsync(Dsn(source), new DirectoryDumpSink(dir.Path), cancellationToken: TestContext.Current.CancellationToken);
        summary.Guarantee.ShouldBe(ConsistencyGuarantee.AllTablesOneMoment);
        summary.Tables.Single(t => t.Name == "types").Rows.ShouldBe(9);
        File.Exists(dir.Combine(DumpFileNames.ForTable("données ✓"))).ShouldBeTrue();

        var target = $"{source}_restored";
        var restored = await MySqlLoader.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Path), cancellationToken: TestContext.Current.CancellationToken);
        restored.TotalRows.ShouldBe(summary.TotalRows);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Single_file_dump_restored_by_cellar_is_bit_identical()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var file = dir.Combine("dump.sql");
        await using (var output = File.Create(file))
        {
            await MySqlDumper.DumpToStreamAsync(Dsn(source), output, cancellationToken: TestContext.Current.CancellationToken);
        }

        var target = await server.CreateDatabaseAsync("file");
        await MySqlLoader.RestoreFileAsync(Dsn(target), file, cancellationToken: TestContext.Current.CancellationToken);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Copy_gives_a_bit_identical_database()
    {
        var (source, expected) = await HardSourceAsync();
        var target = $"{source}_copy";
        var copy = await MySqlCopier.CopyAsync(Dsn(source), Dsn(target), cancellationToken: TestContext.Current.CancellationToken);
        copy.Restore.TotalRows.ShouldBe(copy.Dump.TotalRows);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Unchanged_tables_give_identical_streams_and_changed_ones_differ()
    {
        var (source, _) = await HardSourceAsync();
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        await MySqlDumper.DumpAsync(Dsn(source), new DirectoryDumpSink(first.Path), cancellationToken: TestContext.Current.CancellationToken);
        await server.ExecuteAsync("UPDATE `no key` SET a = 42 WHERE a = 2", source);
        await MySqlDumper.DumpAsync(Dsn(source), new DirectoryDumpSink(second.Path), cancellationToken: TestContext.Current.CancellationToken);
        foreach (var table in new[] { "types", "big", "données ✓", "parent" })
        {
            var name = DumpFileNames.ForTable(table);
            (await File.ReadAllBytesAsync(first.Combine(name), TestContext.Current.CancellationToken))
                .ShouldBe(await File.ReadAllBytesAsync(second.Combine(name), TestContext.Current.CancellationToken));
        }

        var changed = DumpFileNames.ForTable("no key");
        (await File.ReadAllBytesAsync(first.Combine(changed), TestContext.Current.CancellationToken))
            .ShouldNotBe(await File.ReadAllBytesAsync(second.Combine(changed), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restore_refuses_a_database_with_tables_unless_forced()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        await MySqlDumper.DumpAsync(Dsn(source), new DirectoryDumpSink(dir.Path), cancellationToken: TestContext.Current.CancellationToken);
        var target = await server.CreateDatabaseAsync("busy");
        await server.ExecuteAsync("CREATE TABLE types (x INT)", target);

        var refused = await Should.ThrowAsync<DatabaseException>(() => MySqlLoader.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Path)));
        refused.Message.ShouldContain("already has tables");
        refused.Message.ShouldContain("--force");

        await MySqlLoader.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Path), new RestoreOptions { Force = true }, TestContext.Current.CancellationToken);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Without_reload_privilege_the_dump_uses_one_snapshot_and_says_myisam_is_not_covered()
    {
        var (source, expected) = await HardSourceAsync();
        await server.CreateUserAsync("reader", "s3cret-pw", $"SELECT, SHOW VIEW, TRIGGER, LOCK TABLES ON `{source}`.*");
        using var dir = new TempDirectory();
        var dsn = MySqlDsn.Parse(server.TcpDsn("reader", "s3cret-pw", source));
        var summary = await MySqlDumper.DumpAsync(dsn, new DirectoryDumpSink(dir.Path), cancellationToken: TestContext.Current.CancellationToken);
        summary.Guarantee.ShouldBe(ConsistencyGuarantee.TransactionalTablesOneMoment);
        summary.GuaranteeDescription.ShouldContain("legacy");
        var target = $"{source}_lowpriv";
        await MySqlLoader.RestoreAsync(Dsn(target), new DirectoryDumpSource(dir.Path), cancellationToken: TestContext.Current.CancellationToken);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }
}
