using Cellar.Databases.Tests.MySql;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar db dump/restore/copy</c> end to end against a real MariaDB, comparing databases bit for bit.</summary>
public sealed class DbCommandTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private async Task<(string Database, string Expected)> HardSourceAsync()
    {
        var source = await server.CreateDatabaseAsync("cli_src");
        await HardDatabase.CreateAsync(server, source);
        return (source, await DatabaseComparer.DescribeAsync(server, source));
    }

    [Fact]
    public async Task Dump_to_a_folder_then_restore_the_folder_gives_an_equal_database()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var dumpDir = dir.Combine("dump");

        var (code, _, error) = await CliHarness.RunAsync(null, "db", "dump", "--dsn", server.RootDsn(source), "--dir", dumpDir);
        code.ShouldBe(0, error);
        error.ShouldContain("consistency: all");
        File.Exists(Path.Combine(dumpDir, "dump.json")).ShouldBeTrue();

        var target = "cli_restored_" + Guid.NewGuid().ToString("N")[..8];
        (code, var output, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.RootDsn(target), dumpDir);
        code.ShouldBe(0, error);
        output.ShouldContain("restored 8 tables");
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Dump_to_a_file_loads_with_the_stock_client()
    {
        var (source, expected) = await HardSourceAsync();
        using var dir = new TempDirectory();
        var file = dir.Combine("dump.sql");

        var (code, _, error) = await CliHarness.RunAsync(null, "db", "dump", "--dsn", server.RootDsn(source), "-o", file);
        code.ShouldBe(0, error);
        File.Exists(file + ".partial").ShouldBeFalse();

        var target = await server.CreateDatabaseAsync("cli_stock");
        var (clientCode, _, clientError) = await server.RunClientAsync(target, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        clientError.ShouldBeEmpty();
        clientCode.ShouldBe(0);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Copy_streams_one_database_into_another()
    {
        var (source, expected) = await HardSourceAsync();
        var target = "cli_copy_" + Guid.NewGuid().ToString("N")[..8];

        var (code, output, error) = await CliHarness.RunAsync(null, "db", "copy", "--dsn", server.RootDsn(source), "--to", server.RootDsn(target));
        code.ShouldBe(0, error);
        output.ShouldContain("copied 8 tables");
        output.ShouldContain("consistency: all");
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task Restore_and_copy_refuse_a_target_with_tables_unless_forced()
    {
        var (source, expected) = await HardSourceAsync();
        var target = await server.CreateDatabaseAsync("cli_busy");
        await server.ExecuteAsync("CREATE TABLE keep (id INT PRIMARY KEY); INSERT INTO keep VALUES (42);", target);
        var before = await DatabaseComparer.DescribeAsync(server, target);
        using var dir = new TempDirectory();
        var file = dir.Combine("dump.sql");
        (await CliHarness.RunAsync(null, "db", "dump", "--dsn", server.RootDsn(source), "-o", file)).ExitCode.ShouldBe(0);

        var (code, _, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.RootDsn(target), file);
        code.ShouldBe(1);
        error.ShouldContain(target);
        error.ShouldContain("--force");
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(before);

        (code, _, error) = await CliHarness.RunAsync(null, "db", "copy", "--dsn", server.RootDsn(source), "--to", server.RootDsn(target));
        code.ShouldBe(1);
        error.ShouldContain("--force");
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(before);

        (code, _, error) = await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.RootDsn(target), "--force", file);
        code.ShouldBe(0, error);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldContain("== BASE TABLE keep\n" + before.Split("== BASE TABLE keep\n")[1]);
        await server.ExecuteAsync("DROP TABLE keep", target);
        (await DatabaseComparer.DescribeAsync(server, target)).ShouldBe(expected);
    }

    [Fact]
    public async Task The_password_never_appears_in_output()
    {
        const string password = "s3cret-Pw-9xq";
        var source = await server.CreateDatabaseAsync("cli_pw");
        await server.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t VALUES (1, 'a');", source);
        var target = source + "_copy";
        await server.CreateUserAsync("cli_pw_user", password, $"ALL ON `{source}`.*", $"ALL ON `{target}`.*", "RELOAD ON *.*");
        using var dir = new TempDirectory();
        var dsn = server.TcpDsn("cli_pw_user", password, source);
        var wrong = server.TcpDsn("cli_pw_user", password + "-wrong", source);

        var runs = new List<(int Code, string Out, string Error)>
        {
            await CliHarness.RunAsync(null, "db", "dump", "--dsn", dsn, "-o", dir.Combine("d.sql")),
            await CliHarness.RunAsync(null, "db", "dump", "--dsn", dsn, "--dir", dir.Combine("d")),
            await CliHarness.RunAsync(null, "db", "copy", "--dsn", dsn, "--to", server.TcpDsn("cli_pw_user", password, target)),
            await CliHarness.RunAsync(null, "db", "restore", "--dsn", server.TcpDsn("cli_pw_user", password, target), dir.Combine("d.sql")),
            await CliHarness.RunAsync(null, "db", "dump", "--dsn", wrong, "-o", dir.Combine("w.sql")),
            await CliHarness.RunAsync(null, "db", "dump", "--dsn", $"mysql://cli_pw_user:{password}@tcp(127.0.0.1:{server.Port})/no_such_db?prefix={{{{.Prefix}}}}", "-o", dir.Combine("n.sql")),
        };

        runs.Select(r => r.Code).ShouldBe([0, 0, 0, 1, 1, 1], string.Join(" | ", runs.Select(r => r.Error)));
        runs[0].Error.ShouldContain("cli_pw_user");
        runs[3].Error.ShouldContain("--force");
        runs[4].Error.ShouldContain("wrong user name or password");
        runs[5].Error.ShouldContain("no_such_db");
        foreach (var (_, output, error) in runs)
        {
            output.ShouldNotContain(password);
            error.ShouldNotContain(password);
        }

        (await File.ReadAllTextAsync(dir.Combine("d.sql"), TestContext.Current.CancellationToken)).ShouldNotContain(password);
    }
}
