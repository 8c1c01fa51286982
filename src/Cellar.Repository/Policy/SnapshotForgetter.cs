using Cellar.Repository.Locking;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Policy;

/// <summary>
/// restic's <c>forget</c> as an operation: chooses the snapshots (named by id, or by a retention
/// policy applied per group) and removes their files under an exclusive lock. Only snapshot files
/// are removed; the data they referenced stays until it is pruned.
/// </summary>
public static class SnapshotForgetter
{
    /// <summary>
    /// The snapshots to forget: those <paramref name="named"/> (ids or unique prefixes, each once),
    /// or, when none are named, the plan of <paramref name="policy"/> over the snapshots
    /// <paramref name="filter"/> keeps, grouped by <paramref name="groupBy"/>.
    /// </summary>
    public static async Task<ForgetPlan<SnapshotCandidate>> PlanAsync(
        ResticRepository repository, IReadOnlyList<string> named, SnapshotFilter filter, RetentionPolicy policy, SnapshotGroupBy groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(named);
        if (named.Count == 0)
        {
            var snapshots = await repository.ListSnapshotsAsync(cancellationToken, filter).ConfigureAwait(false);
            return ForgetPlan<SnapshotCandidate>.ForPolicy(snapshots.Select(s => new SnapshotCandidate(s)), policy, groupBy);
        }

        var chosen = new List<SnapshotCandidate>();
        foreach (var spec in named)
        {
            var id = await repository.ResolveIdAsync(FileType.Snapshot, spec, cancellationToken).ConfigureAwait(false);
            chosen.Add(new SnapshotCandidate(await repository.LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false)));
        }

        return ForgetPlan<SnapshotCandidate>.ForIds(policy, chosen);
    }

    /// <summary>
    /// Removes the snapshots' files under an exclusive lock (the one the program holds, or one taken
    /// for this); a file that cannot be removed is reported in the outcome and the others are still removed.
    /// </summary>
    public static async Task<ForgetOutcome> ForgetAsync(ResticRepository repository, IEnumerable<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        await using var exclusive = await RepositoryLock.EnsureAsync(repository, LockMode.Exclusive, cancellationToken).ConfigureAwait(false);
        var removed = new List<Id>();
        var failed = new List<(Id, string)>();
        foreach (var snapshot in snapshots)
        {
            try
            {
                await repository.Backend.RemoveAsync(new FileHandle(FileType.Snapshot, snapshot.Id.ToString()), cancellationToken).ConfigureAwait(false);
                removed.Add(snapshot.Id);
            }
            catch (IOException ex)
            {
                failed.Add((snapshot.Id, ex.Message));
            }
        }

        return new ForgetOutcome(removed, failed);
    }
}
