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
        var killer = new RandomKiller(random, maxDelayMilliseconds: 2500);
        for (var round = 0; round < 6; round++)
        {
            // New content every round so each killed backup has packs to write.
            var data = new byte[24 * 1024 * 1024];
            random.NextBytes(data);
            Directory.CreateDirectory(growing);
            await File.WriteAllBytesAsync(Path.Combine(growing, $"round{round}.bin"), data, Token);

            await killer.RunAsync(env, ["-r", repo, "backup", growing, first], Token);

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

        killer.Killed.ShouldBeGreaterThan(0, "at least one backup must have been killed while it ran");
        var final = await CliHarness.RunAsync(env, "-r", repo, "backup", growing, first);
        final.ExitCode.ShouldBe(0, final.Error);
        await restic.CheckAsync(readData: true, Token);
    }
}
