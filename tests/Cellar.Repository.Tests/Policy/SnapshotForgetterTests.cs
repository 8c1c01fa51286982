using Cellar.Repository.Locking;
using Cellar.Repository.Policy;
using Cellar.Repository.Tests.Archiving;

namespace Cellar.Repository.Tests.Policy;

/// <summary>
/// forget as an operation of the repository layer (restic's cmd_forget.go): the plan names what
/// goes, only snapshot files are removed, under an exclusive lock, and restic agrees afterwards.
/// </summary>
public sealed class SnapshotForgetterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<CellarRepositoryFixture> ThreeResticSnapshotsAsync()
    {
        var repo = await CellarRepositoryFixture.CreateAsync(byRestic: true);
        var source = repo.Directory.Combine("src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "f"), "x", Token);
        foreach (var day in new[] { "2025-05-01 10:00:00", "2025-05-02 10:00:00", "2025-05-03 10:00:00" })
        {
            await repo.Restic.BackupAsync([source], ["--time", day, "--host", "h"], cancellationToken: Token);
        }

        return repo;
    }

    [Fact]
    public async Task Keep_last_one_removes_the_two_older_snapshot_files_and_nothing_else()
    {
        await using var repo = await ThreeResticSnapshotsAsync();
        var packs = repo.CountFiles("data");
        await using (var repository = await repo.OpenAsync())
        {
            var plan = await SnapshotForgetter.PlanAsync(repository, [], new SnapshotFilter(), new RetentionPolicy { Last = 1 }, SnapshotGroupBy.Default, Token);
            plan.ToRemove.Count.ShouldBe(2);

            var outcome = await SnapshotForgetter.ForgetAsync(repository, plan.ToRemove.Select(c => c.Snapshot), Token);

            outcome.Removed.ShouldBe(plan.ToRemove.Select(c => c.Snapshot.Id), ignoreOrder: true);
            outcome.Failed.ShouldBeEmpty();
        }

        repo.CountFiles("snapshots").ShouldBe(1);
        repo.CountFiles("data").ShouldBe(packs, "forget leaves the data to prune");
        repo.CountFiles("locks").ShouldBe(0);
        await repo.Restic.RunAsync(["check"], cancellationToken: Token);
    }

    [Fact]
    public async Task Named_prefixes_are_resolved_once_each_and_forget_is_refused_while_another_process_holds_a_lock()
    {
        await using var repo = await ThreeResticSnapshotsAsync();
        await using var repository = await repo.OpenAsync();
        var oldest = (await repository.ListSnapshotsAsync(Token))[0].Id.ToString();

        var plan = await SnapshotForgetter.PlanAsync(repository, [oldest[..8], oldest], new SnapshotFilter(), new RetentionPolicy(), SnapshotGroupBy.Default, Token);
        plan.ToRemove.Select(c => c.Id).ShouldBe([oldest]);

        await using var other = await repo.OpenAsync();
        await other.LockAsync(LockMode.Shared, Token);
        await Should.ThrowAsync<RepositoryLockedException>(() => SnapshotForgetter.ForgetAsync(repository, plan.ToRemove.Select(c => c.Snapshot), Token));
        repo.CountFiles("snapshots").ShouldBe(3);
    }
}
