using System.Security.Cryptography;
using Cellar.Repository;
using Cellar.Repository.Locking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// <c>cellar prune</c> and <c>forget --prune</c> on repositories restic and Cellar filled; restic is
/// the judge: <c>check --read-data</c> passes and every remaining snapshot restores exactly.
/// </summary>
public sealed class PruneCommandTests : IDisposable
{
    private const string Password = ResticRepositoryMaker.Password;
    private readonly TempDirectory _temp = new("cellar-prune");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private string Repo => _temp.Combine("repo");

    private Dictionary<string, string> Env => new() { ["CELLAR_REPOSITORY"] = Repo, ["CELLAR_PASSWORD"] = Password };

    private static long SizeOf(string directory) => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>
    /// Three generations of a source: restic backs up the first, Cellar the second and third. The
    /// first holds a big file and a small one only it has; the small ones share packs with kept data.
    /// </summary>
    private async Task<(ResticRunner Restic, string[] Sources)> MakeRepositoryAsync()
    {
        var restic = new ResticRunner(Repo, Password);
        await restic.InitAsync(cancellationToken: Token);
        var sources = new string[3];
        for (var generation = 0; generation < 3; generation++)
        {
            var source = sources[generation] = _temp.Combine($"gen{generation}", "data");
            Directory.CreateDirectory(source);
            await File.WriteAllBytesAsync(Path.Combine(source, "shared.bin"), RandomBytes(3_000_000, 1), Token);
            await File.WriteAllBytesAsync(Path.Combine(source, $"big{generation}.bin"), RandomBytes(6_000_000, 10 + generation), Token);
            for (var i = 0; i < 20; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(source, $"small{i}.bin"), RandomBytes(20_000, (100 * generation) + i), Token);
            }

            if (generation == 0)
            {
                await restic.BackupAsync([source], cancellationToken: Token);
            }
            else
            {
                var backup = await CliHarness.RunAsync(Env, "backup", source);
                backup.ExitCode.ShouldBe(0, backup.Error);
            }
        }

        return (restic, sources);
    }

    private async Task AssertRemainingRestoreAsync(ResticRunner restic, string[] sources, int expectedSnapshots)
    {
        var snapshots = await restic.SnapshotsAsync(Token);
        snapshots.Count.ShouldBe(expectedSnapshots);
        foreach (var snapshot in snapshots)
        {
            var source = sources.Single(s => snapshot.Paths.Contains(s));
            var target = _temp.Combine("restore-" + snapshot.Id[..8]);
            await restic.RestoreAsync(snapshot.Id, target, cancellationToken: Token);
            TreeComparer.AssertEqual(source, target + source);
        }
    }

    private async Task<HashSet<string>> ResticBlobIdsAsync(ResticRunner restic)
    {
        var output = await restic.RunAsync(["list", "blobs"], cancellationToken: Token);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[^1]).ToHashSet();
    }

    [Fact]
    public async Task Prune_after_forget_shrinks_the_repository_and_restic_accepts_it()
    {
        var (restic, sources) = await MakeRepositoryAsync();
        var oldest = (await restic.SnapshotsAsync(Token))[0];
        var forgottenOnly = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(sources[0], "small0.bin"), Token)));
        (await ResticBlobIdsAsync(restic)).ShouldContain(forgottenOnly);
        (await CliHarness.RunAsync(Env, "forget", oldest.Id)).ExitCode.ShouldBe(0);
        var before = SizeOf(Repo);

        var (code, output, error) = await CliHarness.RunAsync(Env, "prune", "--max-unused", "0%");

        code.ShouldBe(0, output + error);
        output.ShouldContain("removing");
        output.ShouldContain("done");
        SizeOf(Repo).ShouldBeLessThan(before - 6_000_000, "the forgotten big file's data is gone");
        (await ResticBlobIdsAsync(restic)).ShouldNotContain(forgottenOnly);
        Directory.GetFiles(Path.Combine(Repo, "locks")).ShouldBeEmpty();
        (await restic.CheckAsync(readData: true, Token)).ShouldContain("no errors were found");
        await AssertRemainingRestoreAsync(restic, sources, 2);

        // Nothing left to do: a second prune changes nothing and restic still agrees.
        var again = await CliHarness.RunAsync(Env, "prune", "--max-unused", "0%");
        again.ExitCode.ShouldBe(0, again.Error);
        again.Out.ShouldContain("to delete:         0 packs");
        await restic.CheckAsync(cancellationToken: Token);
    }

    [Fact]
    public async Task Partly_used_packs_are_repacked_and_their_used_blobs_survive()
    {
        // The small files of each generation share packs with each other: forgetting one
        // generation's snapshot after the next one reused half of them leaves packs partly used.
        var restic = new ResticRunner(Repo, Password);
        await restic.InitAsync(cancellationToken: Token);
        var first = _temp.Combine("first", "data");
        var second = _temp.Combine("second", "data");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        for (var i = 0; i < 40; i++)
        {
            var bytes = RandomBytes(30_000, i);
            await File.WriteAllBytesAsync(Path.Combine(first, $"f{i}.bin"), bytes, Token);
            await File.WriteAllBytesAsync(Path.Combine(second, $"f{i}.bin"), i % 2 == 0 ? bytes : RandomBytes(30_000, 1000 + i), Token);
        }

        (await CliHarness.RunAsync(Env, "backup", first)).ExitCode.ShouldBe(0);
        await restic.BackupAsync([second], cancellationToken: Token);
        var firstId = (await restic.SnapshotsAsync(Token))[0].Id;

        var (code, output, error) = await CliHarness.RunAsync(Env, "forget", "--prune", "--max-unused", "0", firstId);

        code.ShouldBe(0, output + error);
        output.ShouldContain("running prune");
        output.ShouldMatch(@"(?s).*to repack:\s+[1-9]\d* packs.*");
        output.ShouldContain("repacking");
        (await restic.CheckAsync(readData: true, Token)).ShouldContain("no errors were found");
        var snapshot = (await restic.SnapshotsAsync(Token)).ShouldHaveSingleItem();
        var target = _temp.Combine("restored");
        await restic.RestoreAsync(snapshot.Id, target, cancellationToken: Token);
        TreeComparer.AssertEqual(second, target + second);
        var cellarCheck = await CliHarness.RunAsync(Env, "check", "--read-data");
        cellarCheck.ExitCode.ShouldBe(0, cellarCheck.Out + cellarCheck.Error);
    }

    [Fact]
    public async Task Dry_run_reports_and_changes_nothing()
    {
        var (restic, _) = await MakeRepositoryAsync();
        (await CliHarness.RunAsync(Env, "forget", (await restic.SnapshotsAsync(Token))[0].Id)).ExitCode.ShouldBe(0);
        var files = Directory.EnumerateFiles(Repo, "*", SearchOption.AllDirectories).Order().ToList();

        var (code, output, error) = await CliHarness.RunAsync(Env, "prune", "--dry-run", "--max-unused", "0%");

        code.ShouldBe(0, error);
        output.ShouldMatch(@"(?s).*Would have (repacked and )?removed the following.*packs:.*");
        output.ShouldContain("Would have freed");
        output.ShouldNotContain("Would have freed 0 B");
        Directory.EnumerateFiles(Repo, "*", SearchOption.AllDirectories).Order().ToList().ShouldBe(files);
        await restic.CheckAsync(cancellationToken: Token);
    }

    [Fact]
    public async Task Prune_refuses_while_another_lock_is_live()
    {
        var (restic, _) = await MakeRepositoryAsync();
        await using (var repository = await ResticRepository.OpenAsync(new LocalBackend(Repo), Password, Token, loadIndex: false))
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: false, Token))
        {
            var files = Directory.EnumerateFiles(Path.Combine(Repo, "data"), "*", SearchOption.AllDirectories).Count();
            var (code, output, error) = await CliHarness.RunAsync(Env, "prune");

            code.ShouldNotBe(0);
            error.ShouldContain("lock");
            Directory.EnumerateFiles(Path.Combine(Repo, "data"), "*", SearchOption.AllDirectories).Count().ShouldBe(files);
        }

        await restic.CheckAsync(cancellationToken: Token);
    }

    [Fact]
    public async Task Prune_stops_and_removes_nothing_when_a_snapshot_tree_cannot_be_loaded()
    {
        var (restic, _) = await MakeRepositoryAsync();
        (await CliHarness.RunAsync(Env, "forget", (await restic.SnapshotsAsync(Token))[0].Id)).ExitCode.ShouldBe(0);
        // Drop the index file entries by removing every index file: no tree can be found any more.
        var indexDir = Path.Combine(Repo, "index");
        var hidden = _temp.Combine("hidden-index");
        Directory.Move(indexDir, hidden);
        Directory.CreateDirectory(indexDir);
        var files = Directory.EnumerateFiles(Path.Combine(Repo, "data"), "*", SearchOption.AllDirectories).Count();

        var (code, output, error) = await CliHarness.RunAsync(Env, "prune");

        code.ShouldNotBe(0);
        error.ShouldContain("cannot be loaded");
        error.ShouldContain("removed nothing");
        Directory.EnumerateFiles(Path.Combine(Repo, "data"), "*", SearchOption.AllDirectories).Count().ShouldBe(files);
        Directory.Delete(indexDir);
        Directory.Move(hidden, indexDir);
        await restic.CheckAsync(readData: true, Token);
    }
}
