using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// backup and restore each have two modes (PATHs or the Cells installation; a folder with --target
/// or the installation in place): an option of one mode given in the other is a usage error with
/// one sentence naming it, before anything is read or written, never silently ignored.
/// </summary>
public sealed class CommandModesTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-modes");

    public void Dispose() => _temp.Dispose();

    private async Task<Dictionary<string, string>> RepositoryWithOneSnapshotAsync()
    {
        var repo = _temp.Combine("repo");
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "f.txt"), "x", TestContext.Current.CancellationToken);
        var restic = new ResticRunner(repo, "pw");
        await restic.InitAsync(cancellationToken: TestContext.Current.CancellationToken);
        await restic.BackupAsync([source], [], null, TestContext.Current.CancellationToken);
        return new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = repo, ["CELLAR_PASSWORD"] = "pw" };
    }

    private int SnapshotCount() => Directory.GetFiles(_temp.Combine("repo", "snapshots")).Length;

    [Theory]
    [InlineData("--hot")]
    [InlineData("--cells-dir", "/var/cells")]
    [InlineData("--exclude-datasource", "archive")]
    [InlineData("--dump-command", "mongo=true")]
    [InlineData("--verify-consistency")]
    public async Task Backup_of_paths_refuses_an_installation_backup_option_with_exit_code_2(params string[] option)
    {
        var env = await RepositoryWithOneSnapshotAsync();

        var (code, _, error) = await CliHarness.RunAsync(env, ["backup", _temp.Combine("source"), .. option]);

        code.ShouldBe(2, error);
        error.ShouldContain(option[0] + " is only for the Cells installation backup");
        error.Trim().Split('\n').Length.ShouldBe(1);
        SnapshotCount().ShouldBe(1);
    }

    [Theory]
    [InlineData("--exclude", "*.log")]
    [InlineData("--one-file-system")]
    [InlineData("--compression", "max")]
    [InlineData("--force")]
    [InlineData("--parent", "latest")]
    public async Task Installation_backup_refuses_a_path_backup_option_with_exit_code_2_before_looking_for_Cells(params string[] option)
    {
        var env = await RepositoryWithOneSnapshotAsync();
        env["CELLS_WORKING_DIR"] = _temp.Combine("no-cells-here");

        var (code, _, error) = await CliHarness.RunAsync(env, ["backup", .. option]);

        code.ShouldBe(2, error);
        error.ShouldContain(option[0] + " is only for backing up PATHs");
        error.Trim().Split('\n').Length.ShouldBe(1);
        SnapshotCount().ShouldBe(1);
    }

    [Theory]
    [InlineData("--db-dsn", "sqlite:///tmp/x.db")]
    [InlineData("--cells-dir", "/var/cells")]
    [InlineData("--new-host")]
    [InlineData("--restore-command", "mongo=cat")]
    public async Task Restore_into_a_folder_refuses_an_installation_restore_option_with_exit_code_2(params string[] option)
    {
        var env = await RepositoryWithOneSnapshotAsync();
        var target = _temp.Combine("target");

        var (code, _, error) = await CliHarness.RunAsync(env, ["restore", "latest", "--target", target, .. option]);

        code.ShouldBe(2, error);
        error.ShouldContain(option[0] + " is only for the Cells installation restore");
        Directory.Exists(target).ShouldBeFalse();
    }

    [Theory]
    [InlineData("--include", "/x")]
    [InlineData("--dry-run")]
    [InlineData("--overwrite", "never")]
    [InlineData("--verify")]
    public async Task Installation_restore_refuses_a_folder_restore_option_with_exit_code_2(params string[] option)
    {
        var env = await RepositoryWithOneSnapshotAsync();
        env["CELLS_WORKING_DIR"] = _temp.Combine("no-cells-here");

        var (code, _, error) = await CliHarness.RunAsync(env, ["restore", "latest", .. option]);

        code.ShouldBe(2, error);
        error.ShouldContain(option[0] + " is only for a restore into a folder (--target DIR)");
        Directory.Exists(_temp.Combine("no-cells-here")).ShouldBeFalse();
    }
}
