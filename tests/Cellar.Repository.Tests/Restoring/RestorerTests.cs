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
}
