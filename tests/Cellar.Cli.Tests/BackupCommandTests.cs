using System.Text.Json;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>init, backup and key through the command line, judged by restic.</summary>
public sealed class BackupCommandTests
{
    private const string Password = "geheim";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Init_then_backup_with_json_gives_a_snapshot_restic_checks_and_lists()
    {
        using var temp = new TempDirectory("cellar-cli-backup");
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 2 * 1024 * 1024, Devices = false });
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };

        var init = await CliHarness.RunAsync(env, "-r", repo, "init");
        init.ExitCode.ShouldBe(0, init.Error);
        init.Out.ShouldContain("created restic repository");

        var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", "--json", "--tag", "daily,cli", "--host", "testhost", "--exclude", "*.never", source);
        backup.ExitCode.ShouldBe(0, backup.Error);
        var summary = backup.Out.Split('\n').Single(l => l.Contains("\"message_type\":\"summary\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(summary);
        json.RootElement.GetProperty("files_new").GetInt64().ShouldBeGreaterThan(10);
        json.RootElement.GetProperty("files_unmodified").GetInt64().ShouldBe(0);
        json.RootElement.GetProperty("data_added").GetInt64().ShouldBeGreaterThan(0);
        var snapshotId = json.RootElement.GetProperty("snapshot_id").GetString()!;

        var restic = new ResticRunner(repo, Password);
        await restic.CheckAsync(readData: true, Token);
        var snapshot = (await restic.SnapshotsAsync(Token)).ShouldHaveSingleItem();
        snapshot.Id.ShouldBe(snapshotId);

        var again = await CliHarness.RunAsync(env, "-r", repo, "backup", "--host", "testhost", "--tag", "daily,cli", source);
        again.ExitCode.ShouldBe(0, again.Error);
        again.Out.ShouldContain($"using parent snapshot {snapshotId[..8]}");
        again.Out.ShouldContain("0 new,     0 changed");
    }

    [Fact]
    public async Task Key_commands_add_list_refuse_removing_the_key_in_use_and_change_the_password()
    {
        using var temp = new TempDirectory("cellar-cli-keys");
        var repo = temp.Combine("repo");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password, ["CELLAR_NEW_PASSWORD"] = "second" };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);

        var add = await CliHarness.RunAsync(env, "-r", repo, "key", "add");
        add.ExitCode.ShouldBe(0, add.Error);
        var list = await CliHarness.RunAsync(env, "-r", repo, "key", "list", "--json");
        using (var keys = JsonDocument.Parse(list.Out))
        {
            keys.RootElement.GetArrayLength().ShouldBe(2);
            var current = keys.RootElement.EnumerateArray().Single(k => k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
            var refused = await CliHarness.RunAsync(env, "-r", repo, "key", "remove", current);
            refused.ExitCode.ShouldBe(1);
            refused.Error.ShouldContain("the one this command opened");
        }

        // restic accepts the added key.
        await new ResticRunner(repo, "second").RunAsync(["snapshots"], cancellationToken: Token);

        var passwd = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "second", ["CELLAR_NEW_PASSWORD"] = "third" }, "-r", repo, "key", "passwd");
        passwd.ExitCode.ShouldBe(0, passwd.Error);
        (await new ResticRunner(repo, "second").TryRunAsync(["snapshots"], cancellationToken: Token)).ExitCode.ShouldNotBe(0);
        await new ResticRunner(repo, "third").RunAsync(["snapshots"], cancellationToken: Token);
        await new ResticRunner(repo, Password).RunAsync(["snapshots"], cancellationToken: Token);
    }

    [Fact]
    public async Task Init_refuses_an_existing_repository()
    {
        using var temp = new TempDirectory("cellar-cli-init");
        var repo = temp.Combine("repo");
        await new ResticRunner(repo, Password).InitAsync(2, Token);
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };

        var init = await CliHarness.RunAsync(env, "-r", repo, "init");

        init.ExitCode.ShouldBe(1);
        init.Error.ShouldContain("already exists");
    }

    [Fact]
    public async Task Backup_of_a_missing_path_fails_with_a_clear_message()
    {
        using var temp = new TempDirectory("cellar-cli-missing");
        var repo = temp.Combine("repo");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);

        var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", temp.Combine("nope"));

        backup.ExitCode.ShouldBe(1);
        backup.Error.ShouldContain("does not exist");
        Directory.EnumerateFiles(Path.Combine(repo, "locks")).ShouldBeEmpty();
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Unreadable_file_is_a_warning_and_exit_code_3()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("file modes that make a file unreadable are tested on Linux.");
        }

        using var temp = new TempDirectory("cellar-cli-unreadable");
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "ok.txt"), "fine", Token);
        var secret = Path.Combine(source, "secret.txt");
        await File.WriteAllTextAsync(secret, "hidden", Token);
        File.SetUnixFileMode(secret, UnixFileMode.None);
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };

        (int ExitCode, string Error) backup;
        if (!Cellar.Repository.Platform.Posix.IsRoot)
        {
            (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);
            var run = await CliHarness.RunAsync(env, "-r", repo, "backup", source);
            backup = (run.ExitCode, run.Error);
        }
        else
        {
            // Root reads every file, so the built cellar runs as an unprivileged user (nobody),
            // who owns the folders but has no read permission on secret.txt.
            var setpriv = ExternalTool.Find("setpriv");
            if (setpriv is null)
            {
                Assert.Skip("running as root without setpriv (util-linux) to drop privileges.");
            }

            var cellar = Path.Combine(AppContext.BaseDirectory, "cellar");
            File.SetUnixFileMode(temp.Path, (UnixFileMode)0b111_101_101);
            await ExternalTool.RunAsync("chown", ["-R", "65534:65534", temp.Path], cancellationToken: Token);
            var childEnv = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password, ["HOME"] = temp.Path };
            string[] asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", cellar, "-r", repo];
            var init = await ExternalTool.RunAsync(setpriv, [.. asNobody, "init"], childEnv, cancellationToken: Token);
            init.ExitCode.ShouldBe(0, init.Error);
            var run = await ExternalTool.RunAsync(setpriv, [.. asNobody, "backup", source], childEnv, cancellationToken: Token);
            backup = (run.ExitCode, run.Error);
        }

        backup.ExitCode.ShouldBe(3, backup.Error);
        backup.Error.ShouldContain("secret.txt");
        await new ResticRunner(repo, Password).CheckAsync(cancellationToken: Token);
        var listing = await CliHarness.RunAsync(env, "-r", repo, "ls", "latest");
        listing.Out.ShouldContain("ok.txt");
    }
}
