namespace Cellar.Repository.Policy;

/// <summary>
/// restic's snapshot filter (<c>--host</c>, <c>--tag</c>, <c>--path</c>): a snapshot passes when its
/// host is one of the hosts, it has all tags of at least one tag list, and it has all the paths.
/// Empty parts let everything through.
/// </summary>
public sealed record SnapshotFilter(IReadOnlyList<string> Hosts, IReadOnlyList<IReadOnlyList<string>> TagLists, IReadOnlyList<string> Paths)
{
    public static SnapshotFilter None { get; } = new([], [], []);

    public bool IsEmpty => Hosts.Count == 0 && TagLists.Count == 0 && Paths.Count == 0;

    public bool Matches(IRetentionCandidate snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return (Hosts.Count == 0 || Hosts.Contains(snapshot.Hostname, StringComparer.Ordinal))
               && (TagLists.Count == 0 || TagLists.Any(list => RetentionPolicy.HasTags(snapshot, list)))
               && Paths.All(p => snapshot.Paths.Contains(p, StringComparer.Ordinal));
    }
}
