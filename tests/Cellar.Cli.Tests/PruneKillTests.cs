using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// A prune killed with SIGKILL at any moment leaves a repository restic accepts, whose remaining
/// snapshots restore exactly; the next prune completes.
/// </summary>
public sealed class PruneKillTests
{
    private const string Password = "geheim";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task WriteGenerationAsync(string source, int generation)
    {
        Directory.CreateDirectory(source);
        for (var i = 0; i < 12; i++)
        {
            // Every other file carries over from the previous generation, so packs end partly used.
            var seed = i % 2 == 0 ? (1000 * (generation - 1)) + i : (1000 * generation) + i;
            var data = new byte[i == 0 ? 6_000_000 : 40_000 + (i * 1000)];
            new Random(seed).NextBytes(data);
            await File.WriteAllBytesAsync(Path.Combine(source, $"file{i}.bin"), data, Token);
        }

    }

    [Fact]
    public async Task Prune_killed_at_random_moments_leaves_a_valid_repository()
    {
        using var temp = new TempDirectory("cellar-prune-kill");
        var repo = temp.Combine("repo");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        var restic = new ResticRunner(repo, Password);
        await restic.InitAsync(cancellationToken: Token);
        var sources = new Dictionary<string, string>();
        var random = new Random(17);
        var killer = new RandomKiller(random, maxDelayMilliseconds: 1500);
        for (var round = 0; round < 6; round++)
        {
            // Two new snapshots (one by restic, one by Cellar), then the oldest is forgotten.
            foreach (var byRestic in new[] { true, false })
            {
                var generation = (round * 2) + (byRestic ? 0 : 1);
                var source = temp.Combine($"gen{generation}", "data");
                await WriteGenerationAsync(source, generation);
                if (byRestic)
                {
                    await restic.BackupAsync([source], cancellationToken: Token);
                }
                else
                {
                    var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", source);
                    backup.ExitCode.ShouldBe(0, backup.Error);
                }

                sources[source] = source;
            }

            var oldest = (await restic.SnapshotsAsync(Token))[0];
            (await CliHarness.RunAsync(env, "-r", repo, "forget", oldest.Id)).ExitCode.ShouldBe(0);

            var (_, exitCode, errors) = await killer.RunAsync(env, ["-r", repo, "prune", "--max-unused", "0%"], Token);
            if (exitCode != 0 && exitCode != 137 && exitCode != -1)
            {
                errors.ShouldBeEmpty("a prune that finished must have succeeded");
            }

            // The killed prune leaves its exclusive lock behind; restic 0.14 must be told it is stale.
            await restic.RunAsync(["unlock"], cancellationToken: Token);
            // Only lock files count: a process killed while saving leaves a hidden ".…tmp" file,
            // which neither restic nor Cellar lists as a lock.
            Directory.EnumerateFiles(Path.Combine(repo, "locks")).Where(f => Cellar.Repository.Id.TryParse(Path.GetFileName(f), out _)).ShouldBeEmpty();
            await restic.CheckAsync(cancellationToken: Token);
            foreach (var snapshot in await restic.SnapshotsAsync(Token))
            {
                var source = snapshot.Paths.Single();
                var target = temp.Combine($"restore{round}-{snapshot.ShortId}");
                await restic.RestoreAsync(snapshot.Id, target, cancellationToken: Token);
                TreeComparer.AssertEqual(source, target + source);
                Directory.Delete(target, recursive: true);
            }
        }

        killer.Killed.ShouldBeGreaterThan(0, "at least one prune must have been killed while it ran");
        var final = await CliHarness.RunAsync(env, "-r", repo, "prune", "--max-unused", "0%");
        final.ExitCode.ShouldBe(0, final.Out + final.Error);
        (await restic.CheckAsync(readData: true, Token)).ShouldContain("no errors were found");
        var check = await restic.RunAsync(["check"], cancellationToken: Token);
        check.ShouldNotContain("not referenced in any index");
    }
}
