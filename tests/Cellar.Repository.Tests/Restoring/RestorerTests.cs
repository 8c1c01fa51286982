using Cellar.Repository.Restoring;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

public sealed class RestorerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tricky_tree_from_restic_restores_exactly_as_restic_restores_it()
    {
        using var temp = new TempDirectory("cellar-restore");
        var source = temp.Combine("src");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 6 * 1024 * 1024, SmallFiles = 40, NonUtf8SymlinkTargets = false });
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);

        var (byRestic, byCellar, result) = await RestoreHarness.RestoreBothAsync(temp, restic, snapshot, "tricky");

        result.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(byRestic, byCellar);
        TreeComparer.AssertEqual(source, byCellar, new TreeComparisonOptions { Sparseness = true });
    }

    [Theory]
    [InlineData(1, 1, 4096)] // one worker, one blob per range: the worker's buffers are reused for every blob
    [InlineData(5, 64 * 1024, 4096)] // more workers than cores, small ranges holding several blobs
    [InlineData(3, 4 * 1024 * 1024, 1)] // one file per batch: hard links, folder metadata and shared blobs across batches
    public async Task Any_number_of_workers_any_range_size_and_any_batch_size_restore_the_same_tree(int workers, int maxReadRange, int filesPerBatch)
    {
        using var temp = new TempDirectory("cellar-restore");
        var source = temp.Combine("src");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 3 * 1024 * 1024, SmallFiles = 60, NonUtf8SymlinkTargets = false });
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        var options = new RestoreOptions { Parallelism = workers, MaxReadRange = maxReadRange, FilesPerBatch = filesPerBatch };

        var (byRestic, byCellar, result) = await RestoreHarness.RestoreBothAsync(temp, restic, snapshot, "tuned", options);

        result.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(byRestic, byCellar);
    }

    [Fact]
    public async Task A_folder_node_restores_its_tree_and_then_its_own_mode_and_times_onto_the_target()
    {
        using var temp = new TempDirectory("cellar-restore");
        var source = temp.Combine("src");
        var folder = Path.Combine(source, "datasource");
        Directory.CreateDirectory(Path.Combine(folder, "inner"));
        await File.WriteAllTextAsync(Path.Combine(folder, "inner", "a.txt"), "a", Ct);
        Cellar.Repository.Platform.Posix.ChmodAt(Cellar.Repository.Platform.FileDescriptor.CurrentDirectory, Cellar.Repository.Platform.RawPath.FromString(folder), 0x1E8); // 0750
        Directory.SetLastWriteTimeUtc(folder, new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        await using var repository = await ResticRepository.OpenAsync(new Storage.LocalBackend(restic.Repository), restic.Password, Ct);
        var root = await repository.LoadTreeAsync((await repository.FindSnapshotAsync(snapshot, Ct)).Tree!.Value, Ct);
        var target = temp.Combine("elsewhere");

        var result = await new Restorer(repository).RestoreAsync(root.Find("datasource"u8)!, target, Ct);

        result.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(folder, target);
    }
}
