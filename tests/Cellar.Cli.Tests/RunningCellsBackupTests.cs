using Cellar.Cells.Installation;
using Cellar.Cells.Running;
using Cellar.Testing;
using Cellar.Testing.Bolt;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// Installation backups while a real BoltDB writer (bbolt, holding its flock, committing without
/// pause) stands in for Cells: plain refuses, quiesced stops and restarts it, hot verifies copies.
/// </summary>
public sealed class RunningCellsBackupTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Plain_backup_of_a_running_Cells_refuses_and_says_how_to_proceed()
    {
        using var root = new TempDirectory("cellar-running-plain");
        var (install, env) = await CreateAsync(root);
        using var writer = await BoltWriter.StartAsync(install.BoltFiles[1]);

        var (code, output, error) = await CliHarness.RunAsync(env, "backup");

        code.ShouldBe(1, output + error);
        error.ShouldContain("Cells is running");
        error.ShouldContain("--systemd-unit");
        error.ShouldContain("--hot");
        Directory.EnumerateFiles(root.Combine("repo", "snapshots")).ShouldBeEmpty();
        writer.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task Quiesced_backup_stores_only_sound_BoltDB_files_and_starts_the_writer_again()
    {
        using var root = new TempDirectory("cellar-running-quiesced");
        var (install, env) = await CreateAsync(root);
        var program = await BoltWriter.RequireAsync(TestContext.Current.CancellationToken);
        var store = install.BoltFiles[1];
        var pidFile = root.Combine("writer.pid");
        var start = $"nohup '{program}' write '{store}' >/dev/null 2>&1 & echo $! > '{pidFile}'";
        var stop = $"kill $(cat '{pidFile}'); while kill -0 $(cat '{pidFile}') 2>/dev/null; do sleep 0.05; done";
        (await ShellCommand.RunAsync(start, _ => { }, TestContext.Current.CancellationToken)).ShouldBe(0);
        try
        {
            await WaitForLockAsync(store);

            var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--stop-command", stop, "--start-command", start);

            code.ShouldBe(0, output + error);
            output.ShouldContain("pass 1 of 2");
            output.ShouldContain("Cells was stopped for");
            await WaitForLockAsync(store);
            var (_, snapshots, _) = await CliHarness.RunAsync(env, "snapshots");
            snapshots.ShouldContain("downtime=");
            snapshots.ShouldNotContain("cells-pass1");
            await AssertRestoredStoresSoundAsync(root, env, install.BoltFiles);
        }
        finally
        {
            await ShellCommand.RunAsync($"kill $(cat '{pidFile}') 2>/dev/null", _ => { }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Quiesced_backup_keeps_what_was_written_before_the_stop_and_nothing_written_after_the_start()
    {
        // The database's moment and the files are taken while Cells is stopped; the dump is read after the
        // start command ran, so rows and files the start command writes must not be in the snapshot.
        using var root = new TempDirectory("cellar-running-moment");
        var (install, env) = await CreateAsync(root);
        var program = await BoltWriter.RequireAsync(TestContext.Current.CancellationToken);
        var db = install.Dsn[(install.Dsn.LastIndexOf('/') + 1)..];
        var sql = $"mariadb --no-defaults -S '{server.Socket}' -uroot {db} -e";
        var store = install.BoltFiles[1];
        var pidFile = root.Combine("writer.pid");
        var writer = $"nohup '{program}' write '{store}' >/dev/null 2>&1 & echo $! > '{pidFile}'";
        var before = Path.Combine(install.ObjectsFolder, "before-stop.txt");
        var after = Path.Combine(install.ObjectsFolder, "after-start.txt");
        var stop = $"{sql} \"INSERT INTO idm_workspaces VALUES ('before-stop','x')\" && echo b > '{before}' && " +
                   $"kill $(cat '{pidFile}'); while kill -0 $(cat '{pidFile}') 2>/dev/null; do sleep 0.05; done";
        var start = $"{sql} \"INSERT INTO idm_workspaces VALUES ('after-start','y')\" && echo a > '{after}' && {writer}";
        (await ShellCommand.RunAsync(writer, _ => { }, TestContext.Current.CancellationToken)).ShouldBe(0);
        try
        {
            await WaitForLockAsync(store);

            var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--stop-command", stop, "--start-command", start);

            code.ShouldBe(0, output + error);
            output.ShouldContain("Cells serves again after");
            File.Exists(after).ShouldBeTrue();
            var target = root.Combine("restored");
            var (restoreCode, restoreOut, restoreError) = await CliHarness.RunAsync(env, "restore", "latest", "--target", target);
            restoreCode.ShouldBe(0, restoreOut + restoreError);
            File.Exists(target + before).ShouldBeTrue();
            File.Exists(target + after).ShouldBeFalse();
            var dump = string.Concat(Directory.EnumerateFiles(target + "/.cellar/database").Select(File.ReadAllText));
            dump.ShouldContain("before-stop");
            dump.ShouldContain("Common Files");
            dump.ShouldNotContain("after-start");
            var (_, snapshots, _) = await CliHarness.RunAsync(env, "snapshots");
            snapshots.ShouldNotContain("cells-pass1");
            (await server.RunClientAsync(db, "SELECT COUNT(*) FROM idm_workspaces")).Out.ShouldContain("3");
        }
        finally
        {
            await ShellCommand.RunAsync($"kill $(cat '{pidFile}') 2>/dev/null", _ => { }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Start_command_runs_even_when_the_second_pass_fails_and_a_failed_start_is_reported()
    {
        using var root = new TempDirectory("cellar-running-startfail");
        var (install, env) = await CreateAsync(root);
        using var writer = await BoltWriter.StartAsync(install.BoltFiles[1]);
        var started = root.Combine("started");

        // The stop command fails: pass 2 never runs, yet the start command runs, and its failure is loud.
        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--stop-command", "exit 7", "--start-command", $"touch '{started}'; exit 5");

        code.ShouldBe(1, output + error);
        File.Exists(started).ShouldBeTrue(output + error);
        (output + error).ShouldContain("exit code 7");
        (output + error).ShouldContain("CELLS IS NOT RUNNING");
    }

    [Fact]
    public async Task A_failed_second_pass_leaves_no_pass_one_snapshot_for_restore_latest_to_take()
    {
        using var root = new TempDirectory("cellar-running-pass1left");
        var (install, env) = await CreateAsync(root);
        using var writer = await BoltWriter.StartAsync(install.BoltFiles[1]);

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--stop-command", "exit 7", "--start-command", "true");

        code.ShouldBe(1, output + error);
        output.ShouldContain("pass 1 of 2");
        // Pass 1 has no manifest and no database: left tagged as a Cells snapshot, 'restore latest'
        // would take it and refuse, and forget policies would count it as a backup.
        Directory.EnumerateFiles(root.Combine("repo", "snapshots")).ShouldBeEmpty(output + error);
    }

    [Fact]
    public async Task Hot_backup_stores_only_sound_BoltDB_files_or_says_it_could_not()
    {
        using var root = new TempDirectory("cellar-running-hot");
        var (install, env) = await CreateAsync(root);
        using var writer = await BoltWriter.StartAsync(install.BoltFiles[1]);

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--hot");

        // Exactly 0: the store is a few pages, read in one call, and a torn read is read again (up to
        // InstallationBackupOptions.HotRetries times), so a sound copy is always found. A store that
        // never reads sound gives 3 (InstallationEndToEndTests.Restoring_a_snapshot_that_lacks_a_BoltDB_store_...).
        code.ShouldBe(0, output + error);
        error.ShouldNotContain("INCOMPLETE");

        var target = root.Combine("restored");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--target", target);
        code.ShouldBe(0, output + error);
        var stored = Directory.EnumerateFiles(Path.Combine(target, ".cellar", "stores"), "*.db", SearchOption.AllDirectories).ToList();
        stored.ShouldNotBeEmpty();
        foreach (var file in stored)
        {
            (await BoltWriter.CheckAsync(file)).Sound.ShouldBeTrue(file);
        }

        // The live files themselves are not in the walk: only verified copies are stored.
        File.Exists(target + install.BoltFiles[1]).ShouldBeFalse();
        writer.HasExited.ShouldBeFalse();
    }

    private async Task<(CellsInstallation Install, Dictionary<string, string> Env)> CreateAsync(TempDirectory root)
    {
        var db = await server.CreateDatabaseAsync("running");
        await server.ExecuteAsync("CREATE TABLE idm_workspaces (uuid VARCHAR(64) PRIMARY KEY, label TEXT); INSERT INTO idm_workspaces VALUES ('w1','Common Files');", db);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V4, server.RootDsn(db), realBoltStores: true);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        return (install, env);
    }

    private static async Task AssertRestoredStoresSoundAsync(TempDirectory root, Dictionary<string, string> env, IReadOnlyList<string> boltFiles)
    {
        var target = root.Combine("restored");
        var (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--target", target);
        code.ShouldBe(0, output + error);
        foreach (var file in boltFiles)
        {
            // Copied while Cells was stopped and stored from the copy (as a hot backup stores them), not walked live.
            (await BoltWriter.CheckAsync(target + "/.cellar/stores" + file)).Sound.ShouldBeTrue(file);
            File.Exists(target + file).ShouldBeFalse(file);
        }
    }

    private static async Task WaitForLockAsync(string store)
    {
        for (var i = 0; i < 200 && FlockProbe.Probe(store) != LockState.Held; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        FlockProbe.Probe(store).ShouldBe(LockState.Held, "the writer holds the store again");
    }
}
