using Cellar.Repository.Model;

namespace Cellar.Repository;

/// <summary>
/// Which snapshots a command considers, as restic's <c>--host</c>, <c>--tag</c> and <c>--path</c>:
/// any of the hosts; any of the tag lists, where one list entry <c>a,b</c> needs both tags; all of
/// the paths.
/// </summary>
public sealed record SnapshotFilter(IReadOnlyList<string>? Hosts = null, IReadOnlyList<string>? Tags = null, IReadOnlyList<string>? Paths = null)
{
    public static SnapshotFilter None { get; } = new();

    public bool Matches(Snapshot snapshot)
    {
        if (Hosts is { Count: > 0 } && !Hosts.Contains(snapshot.Hostname ?? "", StringComparer.Ordinal))
        {
            return false;
        }

        if (Tags is { Count: > 0 })
        {
            var tags = snapshot.Tags ?? [];
            var any = Tags.Any(list => list.Split(',', StringSplitOptions.RemoveEmptyEntries).All(t => tags.Contains(t, StringComparer.Ordinal)));
            if (!any)
            {
                return false;
            }
        }

        if (Paths is { Count: > 0 })
        {
            var paths = snapshot.Paths ?? [];
            if (!Paths.All(p => paths.Contains(CleanPath(p), StringComparer.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static string CleanPath(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
