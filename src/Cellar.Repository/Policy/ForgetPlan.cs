namespace Cellar.Repository.Policy;

/// <summary>
/// What <c>forget</c> will do, decided before anything is removed, with restic's rules: explicit
/// IDs are removed as named; otherwise the (already filtered) snapshots are grouped and the policy
/// applied per group. An empty policy removes nothing, and a policy that would remove every
/// snapshot of a group is refused.
/// </summary>
public sealed record ForgetPlan<T>(RetentionPolicy Policy, IReadOnlyList<ForgetGroup<T>> Groups, IReadOnlyList<T> ToRemove)
    where T : IForgetCandidate
{
    public static ForgetPlan<T> ForIds(RetentionPolicy policy, IEnumerable<T> named) => new(policy, [], named.DistinctBy(s => s.Id).ToList());

    public static ForgetPlan<T> ForPolicy(IEnumerable<T> snapshots, RetentionPolicy policy, SnapshotGroupBy groupBy, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.IsEmpty)
        {
            throw new PolicyException("no policy was specified, no snapshots will be removed; give at least one --keep-… option or snapshot IDs.");
        }

        var groups = new List<ForgetGroup<T>>();
        var remove = new List<T>();
        foreach (var (key, members) in SnapshotGrouper.Group(snapshots, groupBy))
        {
            var result = policy.Apply(members, now);
            if (result.Keep.Count == 0)
            {
                throw new PolicyException($"refusing to delete last snapshot of snapshot group \"{key}\".");
            }

            groups.Add(new ForgetGroup<T>(key, result));
            remove.AddRange(result.Remove);
        }

        return new ForgetPlan<T>(policy, groups, remove);
    }
}
