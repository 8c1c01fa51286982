using Cellar.Testing;

namespace Cellar.Cli.Tests;

public sealed class BoltCheckCommandTests
{
    [Fact]
    public async Task Sound_files_exit_zero()
    {
        var small = SharedFixtures.Require("bolt", "consistent", "small.db");
        var nested = SharedFixtures.Require("bolt", "consistent", "nested.db");
        var (code, output, _) = await CliHarness.RunAsync(null, "bolt", "check", small, nested);
        code.ShouldBe(0);
        output.ShouldContain("small.db: sound");
    }

    [Fact]
    public async Task Any_torn_file_exits_one_and_says_why()
    {
        var small = SharedFixtures.Require("bolt", "consistent", "small.db");
        var torn = SharedFixtures.Require("bolt", "torn", "torn-4.db");
        var (code, output, _) = await CliHarness.RunAsync(null, "bolt", "check", small, torn);
        code.ShouldBe(1);
        output.ShouldContain("torn-4.db: TORN: page");
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        var (code, _, error) = await CliHarness.RunAsync(null, "bolt", "check", "/nonexistent/x.db");
        code.ShouldBe(2);
        error.ShouldContain("not a file");
    }

    [Fact]
    public async Task No_file_is_a_usage_error()
    {
        var (code, _, _) = await CliHarness.RunAsync(null, "bolt", "check");
        code.ShouldBe(2);
    }
}
