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
    [InlineData(1, 1)] // one worker, one blob per range: the worker's buffers are reused for every blob
    [InlineData(5, 64 * 1024)] // more workers than cores, small ranges holding several blobs
    public async Task Any_number_of_workers_and_any_range_size_restore_the_same_tree(int workers, int maxReadRange)
    {
        using var temp = new TempDirectory("cellar-restore");
        var source = temp.Combine("src");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 3 * 1024 * 1024, SmallFiles = 60, NonUtf8SymlinkTargets = false });
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        var options = new RestoreOptions { Parallelism = workers, MaxReadRange = maxReadRange };

        var (byRestic, byCellar, result) = await RestoreHarness.RestoreBothAsync(temp, restic, snapshot, "tuned", options);

        result.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(byRestic, byCellar);
    }
}
