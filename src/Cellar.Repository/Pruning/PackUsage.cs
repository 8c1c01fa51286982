using Cellar.Repository.Index;

namespace Cellar.Repository.Pruning;

/// <summary>One indexed pack as prune sees it: its blobs (once each), how many are used, and its sizes.</summary>
internal sealed class PackUsage(Id id, List<PackedBlob> blobs, long headerSize)
{
    public Id Id { get; } = id;

    public List<PackedBlob> Blobs { get; } = blobs;

    public int UsedBlobs { get; set; }

    public int UnusedBlobs { get; set; }

    public int DuplicateBlobs { get; set; }

    /// <summary>Used blob bytes plus the header.</summary>
    public long UsedSize { get; set; } = headerSize;

    public long UnusedSize { get; set; }

    public long TotalSize => UsedSize + UnusedSize;

    public bool HoldsTrees => Blobs.Any(b => b.Type == BlobType.Tree);

    public bool IsMixed => HoldsTrees && Blobs.Any(b => b.Type == BlobType.Data);
}
