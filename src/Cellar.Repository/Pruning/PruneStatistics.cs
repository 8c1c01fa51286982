namespace Cellar.Repository.Pruning;

/// <summary>What prune found and decided, in blobs, bytes (as stored) and packs, like restic's summary.</summary>
public sealed class PruneStatistics
{
    public long UsedBlobs { get; set; }
    public long UsedSize { get; set; }
    public long DuplicateBlobs { get; set; }
    public long DuplicateSize { get; set; }
    public long UnusedBlobs { get; set; }
    public long UnusedSize { get; set; }

    /// <summary>Blobs in packs deleted whole.</summary>
    public long RemoveBlobs { get; set; }
    public long RemoveSize { get; set; }

    /// <summary>Blobs in packs repacked (all of them) and the unused part of those.</summary>
    public long RepackBlobs { get; set; }
    public long RepackSize { get; set; }
    public long RepackRemoveBlobs { get; set; }
    public long RepackRemoveSize { get; set; }

    /// <summary>Bytes of packs no index lists.</summary>
    public long UnreferencedSize { get; set; }

    public int PacksUsed { get; set; }
    public int PacksPartlyUsed { get; set; }
    public int PacksUnused { get; set; }
    public int PacksUnreferenced { get; set; }
    public int PacksKeep { get; set; }
    public int PacksRepack { get; set; }
    public int PacksRemove { get; set; }

    /// <summary>Unused bytes that stay in kept packs.</summary>
    public long UnusedAfter => DuplicateSize + UnusedSize - RemoveSize - RepackRemoveSize;

    /// <summary>Bytes the repository holds after pruning (before the new packs' headers).</summary>
    public long RemainingSize => UsedSize + UnusedAfter;

    /// <summary>Bytes freed: deleted packs, unused parts of repacked packs, unreferenced packs.</summary>
    public long FreedSize => RemoveSize + RepackRemoveSize + UnreferencedSize;
}
