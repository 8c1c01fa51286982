using Cellar.Repository.Archiving;
using Cellar.Repository.Restoring;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Archiving;

/// <summary>Cellar's own restore of what Cellar's backup stored gives back the source exactly.</summary>
public sealed class CellarRoundTripTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cellar_restore_of_a_cellar_backup_equals_the_source_including_non_utf8_link_targets()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        TrickyTree.Generate(source, new TrickyTreeOptions { NonUtf8SymlinkTargets = true, MaxFileSize = 12 * 1024 * 1024 });
        var result = await repo.BackupAsync(new BackupRequest { Paths = [source] });

        await using var repository = await repo.OpenAsync();
        var target = repo.Directory.Combine("restored");
        var restored = await new Restorer(repository).RestoreAsync(result.Snapshot.Tree!.Value, target, Token);

        restored.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(source, target + source, new TreeComparisonOptions { Sparseness = false });
    }

    [Fact]
    public async Task Incremental_backup_after_changes_restores_the_new_state()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 4 * 1024 * 1024, Devices = false });
        var first = await repo.BackupAsync(new BackupRequest { Paths = [source] });
        var changed = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f) is { LinkTarget: null, Length: > 0 } info && !info.UnixFileMode.HasFlag(UnixFileMode.SetUser) && info.UnixFileMode.HasFlag(UnixFileMode.UserWrite))
            .Take(3).ToList();
        foreach (var file in changed)
        {
            await File.AppendAllTextAsync(file, "changed", Token);
        }

        await File.WriteAllTextAsync(Path.Combine(source, "brand-new.txt"), "new", Token);

        var second = await repo.BackupAsync(new BackupRequest { Paths = [source] });

        second.Snapshot.Parent.ShouldBe(first.SnapshotId);
        second.Statistics.FilesNew.ShouldBe(1);
        second.Statistics.FilesChanged.ShouldBe(changed.Count);
        await using var repository = await repo.OpenAsync();
        var target = repo.Directory.Combine("restored");
        (await new Restorer(repository).RestoreAsync(second.Snapshot.Tree!.Value, target, Token)).Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(source, target + source);
    }
}
