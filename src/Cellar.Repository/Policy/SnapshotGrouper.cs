namespace Cellar.Repository.Policy;

/// <summary>Splits snapshots into retention groups as restic does (paths and tags compared sorted).</summary>
public static class SnapshotGrouper
{
    /// <summary>The groups in a stable order (by host, then paths, then tags); each keeps its snapshots' input order.</summary>
    public static IReadOnlyList<(SnapshotGroupKey Key, IReadOnlyList<T> Snapshots)> Group<T>(IEnumerable<T> snapshots, SnapshotGroupBy groupBy)
        where T : IRetentionCandidate
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var groups = new Dictionary<SnapshotGroupKey, List<T>>();
        foreach (var snapshot in snapshots)
        {
            var key = new SnapshotGroupKey(
                groupBy.Host ? snapshot.Hostname : "",
                groupBy.Paths ? Sorted(snapshot.Paths) : null,
                groupBy.Tags ? Sorted(snapshot.Tags) : null);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(snapshot);
        }

        return groups.OrderBy(g => g.Key.SortKey, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<T>)g.Value))
            .ToList();
    }

    private static List<string>? Sorted(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : values.Order(StringComparer.Ordinal).ToList();
}
