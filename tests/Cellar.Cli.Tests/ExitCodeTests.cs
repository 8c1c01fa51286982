using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>restic's exit codes (0.17+): 10 the repository does not exist, 12 wrong password; one sentence each.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-exit");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Wrong_password_on_a_restic_repository_is_exit_code_12()
    {
        var repo = _temp.Combine("repo");
        await new ResticRunner(repo, "right").InitAsync(cancellationToken: TestContext.Current.CancellationToken);

        foreach (var command in new[] { "snapshots", "check", "backup", "forget" })
        {
            string[] args = command switch
            {
                "backup" => [command, _temp.Path],
                "forget" => [command, "--keep-last", "1"],
                _ => [command],
            };
            var (code, _, error) = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "wrong" }, ["-r", repo, .. args]);
            code.ShouldBe(12, $"{command}: {error}");
            error.Trim().ShouldBe($"cellar: wrong password or no key found for repository {repo}; check the password and try again.");
        }
    }

    [Fact]
    public async Task No_repository_at_the_location_is_exit_code_10_for_every_command_that_opens_one()
    {
        var missing = _temp.Combine("nothing-here");
        foreach (var args in new[] { new[] { "snapshots" }, ["check"], ["backup", _temp.Path], ["forget", "--keep-last", "1"], ["unlock"], ["restore", "latest", "--target", _temp.Combine("t")] })
        {
            var (code, _, error) = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "x" }, ["-r", missing, .. args]);
            code.ShouldBe(10, $"{args[0]}: {error}");
            error.Trim().ShouldStartWith($"cellar: there is no repository at {missing}");
            error.Trim().Split('\n').Length.ShouldBe(1);
        }

        Directory.Exists(missing).ShouldBeFalse("no command may create a repository folder by looking for one");
    }
}
