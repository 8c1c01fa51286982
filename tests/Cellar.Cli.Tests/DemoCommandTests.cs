namespace Cellar.Cli.Tests;

/// <summary>
/// <c>cellar demo</c> on each engine: the sample installation is shaped as a fresh Cells v5 install
/// writes pydio.json (driver "sql", engine in the DSN scheme: discovery/install/lib/database.go).
/// </summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_on_SQLite_by_default_needs_no_server_and_brings_back_every_file_row_and_store()
    {
        var (code, output, error) = await CliHarness.RunAsync(new Dictionary<string, string>(), "demo");

        code.ShouldBe(0, output + error);
        output.ShouldContain("SQLite database ");
        output.ShouldContain("2 tables, 4 rows");
        output.ShouldContain("[6/6] verifying");
        output.ShouldNotContain("skipped");
        output.ShouldContain("3 BoltDB stores and 4 database rows (SQLite) came back exactly");
    }

    [Fact]
    public async Task Demo_on_a_private_MariaDB_brings_back_every_row()
    {
        var (code, output, error) = await CliHarness.RunAsync(new Dictionary<string, string>(), "demo", "--engine", "mariadb");

        code.ShouldBe(0, output + error);
        output.ShouldContain("starting a private mariadb server");
        output.ShouldContain("3 BoltDB stores and 4 database rows (MariaDB) came back exactly");
    }

    [Fact]
    public async Task Demo_on_a_private_PostgreSQL_brings_back_every_row()
    {
        var (code, output, error) = await CliHarness.RunAsync(new Dictionary<string, string>(), "demo", "--engine", "postgres");

        code.ShouldBe(0, output + error);
        output.ShouldContain("starting a private postgres server");
        output.ShouldContain("3 BoltDB stores and 4 database rows (PostgreSQL) came back exactly");
    }

    [Fact]
    public async Task Demo_refuses_an_engine_it_does_not_know()
    {
        var (code, _, error) = await CliHarness.RunAsync(new Dictionary<string, string>(), "demo", "--engine", "oracle");

        code.ShouldBe(2);
        error.ShouldContain("oracle");
    }
}
