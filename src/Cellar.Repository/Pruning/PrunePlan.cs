using Cellar.Repository.Index;

namespace Cellar.Repository.Pruning;

/// <summary>What a prune will do: which packs to delete, to repack, which to forget from the index.</summary>
public sealed class PrunePlan
{
    internal PrunePlan(PruneStatistics statistics)
    {
        Statistics = statistics;
    }

    public PruneStatistics Statistics { get; }

    /// <summary>Packs no index lists (left by interrupted backups or prunes), removed first.</summary>
    public HashSet<Id> RemoveUnreferenced { get; } = [];

    /// <summary>Packs whose used blobs are copied into new packs, then deleted.</summary>
    public HashSet<Id> Repack { get; } = [];

    /// <summary>Packs that hold no used blob, deleted whole.</summary>
    public HashSet<Id> Remove { get; } = [];

    /// <summary>Packs listed in the index but missing from the repository that hold nothing used: dropped from the index.</summary>
    public HashSet<Id> ForgetMissing { get; } = [];

    /// <summary>Every blob the snapshots need.</summary>
    internal HashSet<BlobHandle> Used { get; init; } = [];

    /// <summary>Each indexed pack (present or not) with its blobs, once each.</summary>
    internal Dictionary<Id, PackUsage> Packs { get; init; } = [];

    /// <summary>Used blobs that exist only in packs being repacked: the repack must copy each of them once.</summary>
    internal HashSet<BlobHandle> KeepWhileRepacking { get; init; } = [];

    /// <summary>The index files the plan was made from (all of them are replaced).</summary>
    internal List<Id> IndexFiles { get; init; } = [];

    public bool HasWork => RemoveUnreferenced.Count > 0 || Repack.Count > 0 || Remove.Count > 0 || ForgetMissing.Count > 0;

    /// <summary>Packs that stay as they are.</summary>
    internal IEnumerable<PackUsage> KeptPacks => Packs.Values.Where(p => !Repack.Contains(p.Id) && !Remove.Contains(p.Id) && !ForgetMissing.Contains(p.Id));

    internal IEnumerable<PackedBlob> BlobsToCopy(Id packId) => Packs[packId].Blobs.Where(b => KeepWhileRepacking.Contains(b.Blob)).OrderBy(b => b.Offset);
}
