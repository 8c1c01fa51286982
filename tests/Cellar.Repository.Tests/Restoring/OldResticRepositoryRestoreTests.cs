using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

public sealed class OldResticRepositoryRestoreTests
{
    [Theory]
    [InlineData("small-repo")]
    [InlineData("repo-mixed")]
    [InlineData("repo-duplicates")]
    [InlineData("repo-restore-permissions-test")]
    [InlineData("repo-same-timestamps")]
    public async Task Every_snapshot_of_restics_own_old_repositories_restores_as_restic_restores_it(string name)
    {
        var archive = SharedFixtures.Require("restic", "repos", name + ".tar.gz");
        using var temp = new TempDirectory("cellar-oldrepo");
        var (code, _, error) = await ExternalTool.RunAsync("tar", ["-xzf", archive, "-C", temp.Path], cancellationToken: TestContext.Current.CancellationToken);
        code.ShouldBe(0, error);
        var restic = new ResticRunner(temp.Combine("repo"), "geheim");
        var snapshots = await restic.SnapshotsAsync(TestContext.Current.CancellationToken);
        snapshots.ShouldNotBeEmpty();

        foreach (var snapshot in snapshots)
        {
            var (byRestic, byCellar, result) = await RestoreHarness.RestoreBothAsync(temp, restic, snapshot.Id, snapshot.ShortId);

            result.Errors.ShouldBeEmpty();
            TreeComparer.AssertEqual(byRestic, byCellar, new TreeComparisonOptions { RootMetadata = false });
        }
    }
}
