using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>snapshots, ls, cat and check against restic's own old repositories (password "geheim").</summary>
public sealed class RepositoryCommandsTests
{
    private static async Task<(TempDirectory Temp, string Repo)> UnpackAsync(string name = "small-repo")
    {
        var archive = SharedFixtures.Require("restic", "repos", name + ".tar.gz");
        var temp = new TempDirectory();
        var (code, _, error) = await ExternalTool.RunAsync("tar", ["xzf", archive, "-C", temp.Path], cancellationToken: TestContext.Current.CancellationToken);
        code.ShouldBe(0, error);
        return (temp, temp.Combine("repo"));
    }

    private static Dictionary<string, string> Env(string repo, string password = "geheim") => new() { ["CELLAR_REPOSITORY"] = repo, ["CELLAR_PASSWORD"] = password };

    [Fact]
    public async Task Snapshots_lists_every_snapshot_as_a_table_and_as_json()
    {
        var (temp, repo) = await UnpackAsync();
        using (temp)
        {
            var (code, output, _) = await CliHarness.RunAsync(Env(repo), "snapshots");
            code.ShouldBe(0);
            output.ShouldContain("kasimir");
            output.ShouldContain("4 snapshots");

            (code, output, _) = await CliHarness.RunAsync(Env(repo), "snapshots", "--json");
            code.ShouldBe(0);
            using var doc = System.Text.Json.JsonDocument.Parse(output);
            doc.RootElement.GetArrayLength().ShouldBe(4);
            doc.RootElement[0].GetProperty("short_id").GetString()!.Length.ShouldBe(8);
        }
    }

    [Fact]
    public async Task Wrong_password_is_one_line_and_exit_code_12_as_restic()
    {
        var (temp, repo) = await UnpackAsync();
        using (temp)
        {
            var (code, _, error) = await CliHarness.RunAsync(Env(repo, "wrong"), "snapshots");
            code.ShouldBe(12);
            error.Trim().ShouldStartWith("cellar: wrong password");
            error.Trim().ShouldNotContain("\n");
        }
    }

    [Fact]
    public async Task Missing_repository_is_exit_code_10_and_missing_password_a_clear_error()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(Env(temp.Combine("none")), "snapshots");
        code.ShouldBe(10);
        error.ShouldContain("there is no repository at");

        var (temp2, repo) = await UnpackAsync();
        using (temp2)
        {
            (code, _, error) = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = repo }, "snapshots");
            code.ShouldBe(1);
            error.ShouldContain("CELLAR_PASSWORD");
        }
    }

    [Fact]
    public async Task Password_file_option_is_used()
    {
        var (temp, repo) = await UnpackAsync();
        using (temp)
        {
            var file = temp.Combine("pw");
            await File.WriteAllTextAsync(file, "geheim\n", TestContext.Current.CancellationToken);
            var (code, output, error) = await CliHarness.RunAsync(null, "-r", repo, "--password-file", file, "snapshots");
            code.ShouldBe(0, error);
            output.ShouldContain("4 snapshots");
        }
    }

    [Fact]
    public async Task Ls_lists_the_files_of_the_latest_snapshot_and_cat_prints_config()
    {
        var (temp, repo) = await UnpackAsync();
        using (temp)
        {
            var (code, output, error) = await CliHarness.RunAsync(Env(repo), "ls", "latest");
            code.ShouldBe(0, error);
            output.ShouldContain("/testdir/bar");

            (code, output, error) = await CliHarness.RunAsync(Env(repo), "cat", "config");
            code.ShouldBe(0, error);
            output.ShouldContain("\"chunker_polynomial\"");
        }
    }

    [Fact]
    public async Task Check_read_data_passes_and_fails_with_the_pack_named_after_damage()
    {
        var (temp, repo) = await UnpackAsync("repo-mixed");
        using (temp)
        {
            var (code, output, error) = await CliHarness.RunAsync(Env(repo), "check", "--read-data");
            code.ShouldBe(0, error);
            output.ShouldContain("no errors were found");

            var pack = new DirectoryInfo(Path.Combine(repo, "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();
            pack.IsReadOnly = false;
            var bytes = await File.ReadAllBytesAsync(pack.FullName, TestContext.Current.CancellationToken);
            bytes[bytes.Length / 3] ^= 0x55;
            await File.WriteAllBytesAsync(pack.FullName, bytes, TestContext.Current.CancellationToken);

            (code, _, error) = await CliHarness.RunAsync(Env(repo), "check", "--read-data");
            code.ShouldBe(1);
            error.ShouldContain(pack.Name);
        }
    }
}
