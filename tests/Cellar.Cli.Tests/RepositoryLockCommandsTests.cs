using System.Diagnostics;
using Cellar.Repository;
using Cellar.Repository.Json;
using Cellar.Repository.Locking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// Locks as restic 0.17 handles them: a command that cannot lock ends with exit code 11,
/// <c>--retry-lock</c> waits for the lock to go, <c>unlock</c> removes stale locks and
/// <c>unlock --remove-all</c> every lock. The lock holder is the real restic. Which lock each
/// command takes is restic's (cmd/restic/cmd_*.go: check, forget, prune, tag exclusive; backup
/// and copy's destination shared; restore, ls, snapshots, find, diff, stats, cat shared and
/// dropped by --no-lock).
/// </summary>
public sealed class RepositoryLockCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-locks");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private async Task<ResticRepositoryMaker> MakeRepositoryAsync()
    {
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "file.txt"), "hello", Token);
        var maker = new ResticRepositoryMaker(_temp.Combine("repo"));
        await maker.InitAsync();
        await maker.BackupAsync(source, new DateTime(2025, 5, 1, 10, 0, 0));
        await maker.BackupAsync(source, new DateTime(2025, 5, 2, 10, 0, 0));
        return maker;
    }

    /// <summary>Starts <c>restic backup --stdin</c>, which holds a shared lock until its input closes.</summary>
    private async Task<Process> HoldResticLockAsync(ResticRepositoryMaker maker)
    {
        var psi = new ProcessStartInfo(ExternalTool.Require("restic")) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "backup", "--stdin", "--stdin-filename", "x", "--host", "holder" })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in maker.Environment)
        {
            psi.Environment[key] = value;
        }

        var restic = Process.Start(psi)!;
        while (Directory.GetFiles(_temp.Combine("repo", "locks")).Length == 0)
        {
            restic.HasExited.ShouldBeFalse("restic backup --stdin ended before taking its lock");
            await Task.Delay(50, Token);
        }

        return restic;
    }

    [Fact]
    public async Task Lock_held_by_restic_is_exit_code_11_and_retry_lock_succeeds_once_it_is_released()
    {
        var maker = await MakeRepositoryAsync();
        using var restic = await HoldResticLockAsync(maker);
        try
        {
            var refused = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "1");
            refused.ExitCode.ShouldBe(11, refused.Error);
            refused.Error.ShouldContain("The repository is in use");
            refused.Error.ShouldContain("--retry-lock");
            (await maker.SnapshotsAsync()).Count.ShouldBe(2);

            var waiting = CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "1", "--retry-lock", "2m");
            await Task.Delay(1500, Token);
            waiting.IsCompleted.ShouldBeFalse("forget --retry-lock must wait while restic holds its lock");
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(Token);

            var done = await waiting.WaitAsync(TimeSpan.FromSeconds(60), Token);
            done.ExitCode.ShouldBe(0, done.Error);
        }
        finally
        {
            if (!restic.HasExited)
            {
                restic.StandardInput.Close();
                await restic.WaitForExitAsync(Token);
            }
        }

        // restic's snapshot of stdin plus the newest: forget kept one of the two it saw.
        (await maker.SnapshotsAsync()).Count(s => s.Host == "cellhost").ShouldBe(1);
    }

    [Fact]
    public async Task Retry_lock_gives_up_after_its_duration_with_exit_code_11()
    {
        var maker = await MakeRepositoryAsync();
        using var restic = await HoldResticLockAsync(maker);
        try
        {
            var clock = Stopwatch.StartNew();
            var refused = await CliHarness.RunAsync(maker.CellarEnvironment, "prune", "--retry-lock", "2s");
            refused.ExitCode.ShouldBe(11, refused.Error);
            refused.Error.ShouldContain("still after waiting");
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        }
        finally
        {
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(Token);
        }
    }

    [Fact]
    public async Task Unlock_removes_only_stale_locks_and_remove_all_removes_live_ones()
    {
        var maker = await MakeRepositoryAsync();
        var locks = _temp.Combine("repo", "locks");

        // restic removes stale locks when it locks, so the stale one is written after restic's.
        using var restic = await HoldResticLockAsync(maker);
        try
        {
            // A stale lock: an hour old (restic's limit is 30 minutes), written as restic writes them.
            await using (var repository = await ResticRepository.OpenAsync(new LocalBackend(_temp.Combine("repo")), ResticRepositoryMaker.Password, Token, loadIndex: false))
            {
                var stale = new LockRecord(GoTime.FromDateTimeOffset(DateTimeOffset.Now.AddHours(-1)), true, "elsewhere", "someone", 4242, 0, 0);
                await repository.SaveUnpackedAsync(FileType.Lock, stale.ToJson(), Token);
            }

            Directory.GetFiles(locks).Length.ShouldBe(2);
            var unlock = await CliHarness.RunAsync(maker.CellarEnvironment, "unlock");
            unlock.ExitCode.ShouldBe(0, unlock.Error);
            unlock.Out.ShouldContain("removed 1 lock");
            Directory.GetFiles(locks).Length.ShouldBe(1, "restic's live lock stays");

            var all = await CliHarness.RunAsync(maker.CellarEnvironment, "unlock", "--remove-all");
            all.ExitCode.ShouldBe(0, all.Error);
            Directory.GetFiles(locks).ShouldBeEmpty();

            var forget = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "1");
            forget.ExitCode.ShouldBe(0, forget.Error);
        }
        finally
        {
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(Token);
        }
    }

    /// <summary>A live exclusive lock of a process on another host, written as restic writes them.</summary>
    private async Task WriteForeignExclusiveLockAsync()
    {
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(_temp.Combine("repo")), ResticRepositoryMaker.Password, Token, loadIndex: false);
        var live = new LockRecord(GoTime.FromDateTimeOffset(DateTimeOffset.Now), true, "elsewhere", "someone", 4242, 0, 0);
        await repository.SaveUnpackedAsync(FileType.Lock, live.ToJson(), Token);
    }

    [Fact]
    public async Task Check_locks_exclusively_as_restic_does_so_a_running_restic_backup_refuses_it_with_11_and_no_lock_lets_it_run()
    {
        var maker = await MakeRepositoryAsync();
        using var restic = await HoldResticLockAsync(maker);
        try
        {
            var refused = await CliHarness.RunAsync(maker.CellarEnvironment, "check");
            refused.ExitCode.ShouldBe(11, refused.Error);
            refused.Error.ShouldContain("The repository is in use");

            var unlocked = await CliHarness.RunAsync(maker.CellarEnvironment, "check", "--no-lock");
            unlocked.ExitCode.ShouldBe(0, unlocked.Error);
            unlocked.Out.ShouldContain("no errors were found");

            var waiting = CliHarness.RunAsync(maker.CellarEnvironment, "check", "--retry-lock", "2m");
            await Task.Delay(1500, Token);
            waiting.IsCompleted.ShouldBeFalse("check --retry-lock must wait while restic holds its lock");
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(Token);
            var done = await waiting.WaitAsync(TimeSpan.FromSeconds(60), Token);
            done.ExitCode.ShouldBe(0, done.Error);
        }
        finally
        {
            if (!restic.HasExited)
            {
                restic.StandardInput.Close();
                await restic.WaitForExitAsync(Token);
            }
        }

        Directory.GetFiles(_temp.Combine("repo", "locks")).ShouldBeEmpty("check removes its lock when it ends");
    }

    [Theory]
    [InlineData("snapshots")]
    [InlineData("ls", "latest")]
    [InlineData("restore", "latest", "--target", "TARGET")]
    [InlineData("find", "file.txt")]
    [InlineData("stats")]
    public async Task Read_only_commands_take_a_shared_lock_that_an_exclusive_one_refuses_with_11_and_no_lock_lets_them_run(params string[] args)
    {
        var maker = await MakeRepositoryAsync();
        await WriteForeignExclusiveLockAsync();
        args = [.. args.Select(a => a == "TARGET" ? _temp.Combine("target-" + Guid.NewGuid().ToString("N")) : a)];

        var refused = await CliHarness.RunAsync(maker.CellarEnvironment, args);
        refused.ExitCode.ShouldBe(11, refused.Error);
        refused.Error.ShouldContain("exclusive");

        var unlocked = await CliHarness.RunAsync(maker.CellarEnvironment, [.. args, "--no-lock"]);
        unlocked.ExitCode.ShouldBe(0, unlocked.Error);
        Directory.GetFiles(_temp.Combine("repo", "locks")).Length.ShouldBe(1, "--no-lock writes no lock file");
    }

    [Theory]
    [InlineData("tag", "--add", "x", "latest")]
    [InlineData("prune")]
    [InlineData("forget", "--keep-last", "1")]
    [InlineData("backup", "SOURCE")]
    [InlineData("key", "add")]
    public async Task No_lock_is_refused_with_exit_code_2_by_commands_that_change_the_repository(params string[] args)
    {
        var maker = await MakeRepositoryAsync();
        args = [.. args.Select(a => a == "SOURCE" ? _temp.Combine("source") : a)];
        var before = await maker.SnapshotsAsync();

        var refused = await CliHarness.RunAsync(maker.CellarEnvironment, [.. args, "--no-lock"]);

        refused.ExitCode.ShouldBe(2, refused.Error);
        refused.Error.ShouldContain("--no-lock");
        refused.Error.Trim().Split('\n').Length.ShouldBe(1, "one sentence");
        (await maker.SnapshotsAsync()).Select(s => (s.Id, string.Join(",", s.Tags))).ShouldBe(before.Select(s => (s.Id, string.Join(",", s.Tags))));
    }

    [Fact]
    public async Task A_backup_under_its_shared_lock_coexists_with_restic_s_and_tag_is_refused_with_11_meanwhile()
    {
        var maker = await MakeRepositoryAsync();
        using var restic = await HoldResticLockAsync(maker);
        try
        {
            var backup = await CliHarness.RunAsync(maker.CellarEnvironment, "backup", _temp.Combine("source"));
            backup.ExitCode.ShouldBe(0, backup.Error);

            var tag = await CliHarness.RunAsync(maker.CellarEnvironment, "tag", "--add", "x", "latest");
            tag.ExitCode.ShouldBe(11, tag.Error);
        }
        finally
        {
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(Token);
        }

        (await maker.SnapshotsAsync()).ShouldAllBe(s => !s.Tags.Contains("x"));
        Directory.GetFiles(_temp.Combine("repo", "locks")).ShouldBeEmpty();
    }
}
