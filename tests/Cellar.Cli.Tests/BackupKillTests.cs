using System.Diagnostics;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// A backup killed with SIGKILL at any moment leaves a repository restic and Cellar both accept,
/// whose earlier snapshots still restore exactly, and the next backup completes.
/// </summary>
public sealed class BackupKillTests
{
    private const string Password = "geheim";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backup_killed_at_random_moments_leaves_a_valid_repository()
    {
        var cellar = Path.Combine(AppContext.BaseDirectory, "cellar");
        File.Exists(cellar).ShouldBeTrue("the built cellar executable sits beside the tests");
        using var temp = new TempDirectory("cellar-kill");
        var repo = temp.Combine("repo");
        var first = temp.Combine("first");
        var growing = temp.Combine("growing");
        TrickyTree.Generate(first, new TrickyTreeOptions { Seed = 3, MaxFileSize = 8 * 1024 * 1024, Devices = false, NonUtf8SymlinkTargets = false });
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);
        var firstBackup = await CliHarness.RunAsync(env, "-r", repo, "backup", first);
        firstBackup.ExitCode.ShouldBe(0, firstBackup.Error);
        var restic = new ResticRunner(repo, Password);
        var firstSnapshot = (await restic.SnapshotsAsync(Token)).ShouldHaveSingleItem().Id;

        var random = new Random(11);
        var interrupted = 0;
        // The kill moment is random below maxDelay; when a backup finishes before it, later rounds
        // aim inside the run time just seen, so kills land mid-backup on fast and slow machines alike.
        var maxDelay = 2500;
        for (var round = 0; round < 6; round++)
        {
            // New content every round so each killed backup has packs to write.
            var data = new byte[24 * 1024 * 1024];
            random.NextBytes(data);
            Directory.CreateDirectory(growing);
            await File.WriteAllBytesAsync(Path.Combine(growing, $"round{round}.bin"), data, Token);

            var psi = new ProcessStartInfo(cellar) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-r", repo, "backup", growing, first })
            {
                psi.ArgumentList.Add(arg);
            }

            psi.Environment["CELLAR_PASSWORD"] = Password;
            var started = Stopwatch.StartNew();
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEndAsync(Token);
            var error = process.StandardError.ReadToEndAsync(Token);
            await Task.Delay(random.Next(Math.Min(50, maxDelay - 1), maxDelay), Token);
            if (!process.HasExited)
            {
                interrupted++;
                process.Kill(entireProcessTree: true);
            }
            else
            {
                await process.WaitForExitAsync(Token);
                maxDelay = Math.Max(60, (int)(started.ElapsedMilliseconds * 0.8));
            }

            await process.WaitForExitAsync(Token);
            await output;
            await error;

            // A killed process leaves its lock behind, as restic's own do; restic (0.14 does not skip
            // stale locks by itself) must judge it stale: same host, process gone.
            await restic.RunAsync(["unlock"], cancellationToken: Token);
            // Only lock files count: a process killed while saving leaves a hidden ".…tmp" file,
            // which neither restic nor Cellar lists as a lock.
            Directory.EnumerateFiles(Path.Combine(repo, "locks")).Where(f => Cellar.Repository.Id.TryParse(Path.GetFileName(f), out _)).ShouldBeEmpty();
            await restic.CheckAsync(cancellationToken: Token);
            var check = await CliHarness.RunAsync(env, "-r", repo, "check");
            check.ExitCode.ShouldBe(0, check.Out + check.Error);
            var target = temp.Combine($"restore{round}");
            await restic.RestoreAsync(firstSnapshot, target, cancellationToken: Token);
            TreeComparer.AssertEqual(first, target + first);
        }

        interrupted.ShouldBeGreaterThan(0, "at least one backup must have been killed while it ran");
        var final = await CliHarness.RunAsync(env, "-r", repo, "backup", growing, first);
        final.ExitCode.ShouldBe(0, final.Error);
        await restic.CheckAsync(readData: true, Token);
    }
}
