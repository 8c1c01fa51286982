using System.Collections.Concurrent;
using Cellar.Repository.Model;

namespace Cellar.Repository.Pruning;

/// <summary>
/// Finds every blob the snapshots still need: each snapshot's trees, walked to the leaves, and the
/// data blobs their files list. Any tree that cannot be loaded stops the search with
/// <see cref="PruneAbortedException"/>: what cannot be read is never taken for unused.
/// </summary>
internal static class UsedBlobCollector
{
    public static async Task<HashSet<BlobHandle>> CollectAsync(ResticRepository repository, IReadOnlyList<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        var used = new HashSet<BlobHandle>();
        var owner = new Dictionary<Id, Id>();
        var frontier = new List<Id>();
        foreach (var snapshot in snapshots)
        {
            if (snapshot.Tree is not { } root)
            {
                throw new PruneAbortedException($"snapshot {snapshot.Id.ToShortString()} has no tree; nothing was removed. Run 'cellar check', then remove the damaged snapshot with 'cellar forget {snapshot.Id.ToShortString()}' before pruning.");
            }

            if (used.Add(new BlobHandle(root, BlobType.Tree)))
            {
                frontier.Add(root);
                owner[root] = snapshot.Id;
            }
        }

        while (frontier.Count > 0)
        {
            var loaded = new ConcurrentBag<(Id Id, Tree Tree)>();
            await Parallel.ForEachAsync(frontier, new ParallelOptions { MaxDegreeOfParallelism = ResticRepository.LoadParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                try
                {
                    loaded.Add((id, await repository.LoadTreeAsync(id, ct).ConfigureAwait(false)));
                }
                catch (Exception ex) when (ex is RepositoryCorruptException or IOException or Storage.StorageException)
                {
                    var which = owner.TryGetValue(id, out var snapshot) ? $"the root tree {id.ToShortString()} of snapshot {snapshot.ToShortString()}" : $"tree {id.ToShortString()}";
                    throw new PruneAbortedException($"{which} cannot be loaded ({ex.Message}); prune stopped and removed nothing. Run 'cellar check' (or 'restic check') to find the damage, and forget the snapshots that need it before pruning.", ex);
                }
            }).ConfigureAwait(false);

            frontier = [];
            foreach (var (_, tree) in loaded)
            {
                foreach (var node in tree.Nodes)
                {
                    if (node.Content is { } content)
                    {
                        foreach (var blob in content)
                        {
                            used.Add(new BlobHandle(blob, BlobType.Data));
                        }
                    }

                    if (node.Subtree is { } subtree && used.Add(new BlobHandle(subtree, BlobType.Tree)))
                    {
                        frontier.Add(subtree);
                    }
                }
            }
        }

        return used;
    }
}
