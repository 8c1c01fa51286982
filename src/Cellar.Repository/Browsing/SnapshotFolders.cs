using System.Text;

namespace Cellar.Repository.Browsing;

/// <summary>Folders inside a snapshot's tree, found by path (<c>SNAPSHOT:PATH</c> of restore and diff).</summary>
public static class SnapshotFolders
{
    /// <summary>
    /// The tree of the folder at <paramref name="path"/> ('/'-separated, relative to
    /// <paramref name="root"/>; empty or "/" is the root itself), or null when no folder is there.
    /// </summary>
    public static async Task<Id?> FindAsync(ResticRepository repository, Id root, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(path);
        var tree = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var listing = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            if (listing.Find(Encoding.UTF8.GetBytes(part)) is not { IsDirectory: true, Subtree: { } subtree })
            {
                return null;
            }

            tree = subtree;
        }

        return tree;
    }
}
