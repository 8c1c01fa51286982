using System.Diagnostics;
using Cellar.Repository.Json;
using Cellar.Repository.Locking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// Locks as restic 0.17 handles them: a command that cannot lock ends with exit code 11,
/// <c>--retry-lock</c> waits for the lock to go, <c>unlock</c> removes stale locks and
/// <c>unlock --remove-all</c> every lock. The lock holder is the real restic.
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
            await using (var repository = await Repository.Repository.OpenAsync(new LocalBackend(_temp.Combine("repo")), ResticRepositoryMaker.Password, Token, loadIndex: false))
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
}
