using Cellar.Repository.Storage;

namespace Cellar.Repository.Restoring;

/// <summary>A stretch of one pack read in one request, and the needed blobs inside it (sorted by offset).</summary>
internal sealed record PackRange(Id PackId, long Offset, int Length, IReadOnlyList<BlobTarget> Blobs)
{
    /// <summary>The restore batch the range belongs to.</summary>
    public RestoreBatch? Batch { get; init; }

    /// <summary>
    /// Cuts a pack's needed blobs into ranges: a new range when the gap to the next blob, the range
    /// size or its number of blobs grows too large (the blob count keeps ranges of many small files
    /// small enough to share among workers).
    /// </summary>
    public static IEnumerable<PackRange> Plan(Id packId, IEnumerable<BlobTarget> blobs, int maxRange, int maxBlobs = int.MaxValue, int maxGap = 1024 * 1024)
    {
        var sorted = blobs.OrderBy(b => b.Blob.Offset).ToList();
        var start = 0;
        for (var i = 1; i <= sorted.Count; i++)
        {
            var cut = i == sorted.Count;
            if (!cut)
            {
                var rangeStart = sorted[start].Blob.Offset;
                var gap = sorted[i].Blob.Offset - sorted[i - 1].Blob.End;
                cut = gap > maxGap || sorted[i].Blob.End - rangeStart > maxRange || i - start >= maxBlobs;
            }

            if (cut)
            {
                var offset = sorted[start].Blob.Offset;
                var end = sorted.Skip(start).Take(i - start).Max(b => b.Blob.End);
                yield return new PackRange(packId, offset, checked((int)(end - offset)), sorted.GetRange(start, i - start));
                start = i;
            }
        }
    }

    /// <summary>Reads <c>destination.Length</c> bytes of a pack at <paramref name="offset"/>; a short read is damage.</summary>
    public static async ValueTask ReadAsync(IBackend backend, Id packId, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var read = await backend.ReadAsync(new FileHandle(FileType.Pack, packId.ToString()), offset, destination, cancellationToken).ConfigureAwait(false);
        if (read != destination.Length)
        {
            throw new RepositoryCorruptException($"pack {packId} is truncated: read {read} of {destination.Length} bytes at offset {offset}");
        }
    }
}
