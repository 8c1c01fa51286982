using Cellar.Repository.Model;

namespace Cellar.Repository.Restoring;

/// <summary>The entries of a tree a restore with a filter takes, with their locations (<c>/a/b</c>), folders before their contents.</summary>
internal static class SelectedEntries
{
    public static async Task WalkAsync(ResticRepository repository, Id treeId, RestoreFilter filter, Func<string, Node, bool, Task> visit, CancellationToken cancellationToken, string prefix = "")
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.Socket || !new Platform.RawPath(node.RawName).IsSafeName)
            {
                continue;
            }

            var location = prefix + "/" + node.Name;
            var (selected, enter) = filter.Select(location, node.IsDirectory);
            if (selected || (node.IsDirectory && enter))
            {
                await visit(location, node, selected).ConfigureAwait(false);
            }

            if (node.IsDirectory && enter && node.Subtree is { } subtree)
            {
                await WalkAsync(repository, subtree, filter, visit, cancellationToken, location).ConfigureAwait(false);
            }
        }
    }
}
