namespace Cellar.Repository.Restoring;

/// <summary>A stretch of one pack read in one request, and the needed blobs inside it (sorted by offset).</summary>
internal sealed record PackRange(Id PackId, long Offset, int Length, IReadOnlyList<BlobTarget> Blobs)
{
    /// <summary>Cuts a pack's needed blobs into ranges: a new range when the gap to the next blob or the range size grows too large.</summary>
    public static IEnumerable<PackRange> Plan(Id packId, IEnumerable<BlobTarget> blobs, int maxRange, int maxGap = 1024 * 1024)
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
                cut = gap > maxGap || sorted[i].Blob.End - rangeStart > maxRange;
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
}
