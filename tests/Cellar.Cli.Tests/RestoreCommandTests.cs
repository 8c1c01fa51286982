using Cellar.Testing;

namespace Cellar.Cli.Tests;

public sealed class RestoreCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TempDirectory Temp, ResticRunner Restic, string Source)> MakeRepositoryAsync()
    {
        var temp = new TempDirectory("cellar-cli-restore");
        var source = temp.Combine("src");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 1024 * 1024, SmallFiles = 10, NonUtf8SymlinkTargets = false });
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        await restic.BackupDirectoryContentsAsync(source, ["--tag", "first"], Ct);
        return (temp, restic, source);
    }

    private static Dictionary<string, string> Env(ResticRunner restic) => new()
    {
        ["CELLAR_REPOSITORY"] = restic.Repository,
        ["CELLAR_PASSWORD"] = restic.Password,
    };

    [Fact]
    public async Task Restore_latest_writes_the_snapshot_and_prints_a_summary()
    {
        var (temp, restic, source) = await MakeRepositoryAsync();
        using var _ = temp;
        var target = temp.Combine("target");

        var (code, output, error) = await CliHarness.RunAsync(Env(restic), "restore", "latest", "--target", target, "--tag", "first");

        code.ShouldBe(0, error);
        output.ShouldContain("restored ");
        output.ShouldContain("0 errors");
        TreeComparer.AssertEqual(source, target);
    }

    [Fact]
    public async Task Include_and_exclude_select_the_same_entries_as_restic()
    {
        var (temp, restic, _) = await MakeRepositoryAsync();
        using var __ = temp;
        var snapshot = (await restic.SnapshotsAsync(Ct)).Single().Id;
        foreach (var (flag, pattern) in new[] { ("--include", "/plain/docs-1"), ("--include", "*.txt"), ("--exclude", "links"), ("--exclude", "/modes/*") })
        {
            var name = (flag + pattern).Replace('/', '_').Replace('*', 'x');
            await restic.RestoreAsync(snapshot, temp.Combine(name + "-restic"), [flag, pattern], Ct);

            var (code, _, error) = await CliHarness.RunAsync(Env(restic), "restore", snapshot[..8], "--target", temp.Combine(name + "-cellar"), flag, pattern);

            code.ShouldBe(0, error);
            TreeComparer.AssertEqual(temp.Combine(name + "-restic"), temp.Combine(name + "-cellar"));
        }
    }

    [Fact]
    public async Task A_subfolder_of_a_snapshot_restores_alone()
    {
        var (temp, restic, source) = await MakeRepositoryAsync();
        using var _ = temp;

        var (code, _, error) = await CliHarness.RunAsync(Env(restic), "restore", "latest:/links", "--target", temp.Combine("t"));

        code.ShouldBe(0, error);
        TreeComparer.AssertEqual(Path.Combine(source, "links"), temp.Combine("t"));
    }

    [Fact]
    public async Task Damaged_data_exits_1_naming_the_files_and_json_reports_errors()
    {
        var (temp, restic, _) = await MakeRepositoryAsync();
        using var _ = temp;
        foreach (var pack in Directory.EnumerateFiles(Path.Combine(restic.Repository, "data"), "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(pack, FileAttributes.Normal);
            await using var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = 100;
            stream.WriteByte(0x5A);
            stream.WriteByte(0xA5);
        }

        var (code, output, error) = await CliHarness.RunAsync(Env(restic), "restore", "latest", "--target", temp.Combine("t"), "--json");

        code.ShouldBe(1);
        output.ShouldContain("\"message_type\":\"error\"");
        output.ShouldContain("\"message_type\":\"summary\"");
        output.ShouldContain("damaged");
    }

    [Fact]
    public async Task A_wrong_password_is_one_clear_line_and_exit_12()
    {
        var (temp, restic, _) = await MakeRepositoryAsync();
        using var _ = temp;
        var env = Env(restic);
        env["CELLAR_PASSWORD"] = "wrong";

        var (code, _, error) = await CliHarness.RunAsync(env, "restore", "latest", "--target", temp.Combine("t"));

        code.ShouldBe(12);
        error.Trim().Split('\n').Length.ShouldBe(1);
        Directory.Exists(temp.Combine("t")).ShouldBeFalse();
    }
}
