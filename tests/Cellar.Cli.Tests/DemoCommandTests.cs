namespace Cellar.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_backs_up_destroys_restores_and_verifies_a_sample_installation()
    {
        var (code, output, error) = await CliHarness.RunAsync(new Dictionary<string, string>(), "demo");

        code.ShouldBe(0, output + error);
        output.ShouldContain("[6/6] verifying");
        output.ShouldContain("demo PASSED");
        output.ShouldContain("3 BoltDB stores");
    }
}
