using Cellar.Repository.Model;

namespace Cellar.Repository.Browsing;

/// <summary>
/// Finds entries in snapshots as restic's <c>find</c> does: every node whose path (from the
/// snapshot root, <c>/</c>-separated) matches, in tree order, folders before their contents.
/// A subtree already searched without a match at the same path is not searched again in later snapshots.
/// </summary>
public sealed class SnapshotFinder(ResticRepository repository, FindQuery query)
{
    private readonly HashSet<(Id Tree, string Path)> _noMatch = [];

    public async Task<IReadOnlyList<(string Path, Node Node)>> FindAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var matches = new List<(string, Node)>();
        if (snapshot.Tree is { } tree)
        {
            await SearchAsync(tree, "/", matches, cancellationToken).ConfigureAwait(false);
        }

        return matches;
    }

    private async Task<bool> SearchAsync(Id treeId, string prefix, List<(string, Node)> matches, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        var found = false;
        foreach (var node in tree.Nodes)
        {
            var path = prefix == "/" ? "/" + node.Name : prefix + "/" + node.Name;
            if (query.Matches(path) && InWindow(node))
            {
                matches.Add((path, node));
                found = true;
            }

            if (node.IsDirectory && node.Subtree is { } subtree && !_noMatch.Contains((subtree, path))
                && await SearchAsync(subtree, path, matches, cancellationToken).ConfigureAwait(false))
            {
                found = true;
            }
        }

        if (!found)
        {
            _noMatch.Add((treeId, prefix));
        }

        return found;
    }

    private bool InWindow(Node node) =>
        (query.Oldest is not { } oldest || node.ModTime.CompareInstant(oldest) >= 0)
        && (query.Newest is not { } newest || node.ModTime.CompareInstant(newest) <= 0);
}
