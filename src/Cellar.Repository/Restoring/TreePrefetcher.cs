using Cellar.Repository.Model;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Loads the subtrees of a folder in parallel while the restore walks the folders before them, so
/// the (single-threaded, depth-first) walk seldom waits for a tree: trees are independent blobs.
/// At most <c>concurrency</c> loads run at once and at most <c>window</c> loaded trees wait to be
/// walked, so memory stays bounded on trees of any size (a tree is held only until the walk takes it).
/// </summary>
internal sealed class TreePrefetcher(ResticRepository repository, int concurrency, int window = 512)
{
    private readonly SemaphoreSlim _loads = new(Math.Max(1, concurrency));
    private readonly HashSet<Task<Tree>> _untaken = [];
    private int _waiting;

    /// <summary>Starts loading the subtrees of the nodes of <paramref name="tree"/> that <paramref name="wanted"/> picks; the result is indexed like the nodes.</summary>
    public Task<Tree>?[]? Prefetch(Tree tree, Func<Node, bool> wanted, CancellationToken cancellationToken)
    {
        Task<Tree>?[]? loads = null;
        for (var i = 0; i < tree.Nodes.Count; i++)
        {
            var node = tree.Nodes[i];
            if (!node.IsDirectory || node.Subtree is not { } subtree || !wanted(node))
            {
                continue;
            }

            if (Interlocked.Increment(ref _waiting) > window)
            {
                Interlocked.Decrement(ref _waiting);
                break;
            }

            loads ??= new Task<Tree>?[tree.Nodes.Count];
            var load = LoadAsync(subtree, cancellationToken);
            loads[i] = load;
            _untaken.Add(load);
        }

        return loads;
    }

    /// <summary>The load started for node <paramref name="index"/>, if any (then the caller awaits it). Called by the walk only, one call at a time.</summary>
    public Task<Tree>? Take(Task<Tree>?[]? loads, int index)
    {
        var load = loads?[index];
        if (load is not null)
        {
            loads![index] = null;
            _untaken.Remove(load);
            Interlocked.Decrement(ref _waiting);
        }

        return load;
    }

    /// <summary>Waits for loads nobody took (entries refused on the way), so none outlives the restore.</summary>
    public async Task DrainAsync()
    {
        foreach (var load in _untaken)
        {
            try
            {
                await load.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Reported (or not needed) by the walk.
            }
        }

        _untaken.Clear();
    }

    private async Task<Tree> LoadAsync(Id id, CancellationToken cancellationToken)
    {
        await _loads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loads.Release();
        }
    }
}
