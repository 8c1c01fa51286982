namespace Cellar.Cli.Tests;

public sealed class VersionCommandTests
{
    [Fact]
    public async Task Version_prints_the_program_name()
    {
        var (exitCode, output, _) = await CliHarness.RunAsync(null, "version");
        exitCode.ShouldBe(0);
        output.ShouldStartWith("cellar ");
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error()
    {
        var (exitCode, _, error) = await CliHarness.RunAsync(null, "no-such-command");
        exitCode.ShouldBe(2);
        error.ShouldContain("no-such-command");
    }
}
