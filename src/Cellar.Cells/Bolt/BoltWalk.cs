using System.Buffers.Binary;

namespace Cellar.Cells.Bolt;

/// <summary>
/// One walk over a BoltDB file from a chosen meta: the freelist, then every bucket tree from
/// the root bucket, then the pages below the high-water mark that nothing accounts for.
/// Checks: page ids within the high-water mark and the file, page header ids matching their
/// position, page types as expected, no page reachable twice, freelist and reachable pages
/// disjoint, every page either reachable or free, keys strictly ascending within each page
/// and across each bucket, and within the bounds set by the branch keys above them.
/// </summary>
internal sealed class BoltWalk(IBoltBytes handle, long length, int pageSize, BoltMeta meta, List<string> problems, CancellationToken cancellationToken)
{
    private const int MaxProblems = 50;
    private const int MaxDepth = 128;

    private readonly ulong highWater = meta.HighWaterMark;
    private bool[] reachable = [];
    private readonly HashSet<ulong> freed = [];

    public long ReachablePages { get; private set; }
    public long FreePages => freed.Count;
    public long Keys { get; private set; }
    public long Buckets { get; private set; }

    public void Run()
    {
        if (highWater < 2)
        {
            Report($"meta {meta.Index}: high-water mark {highWater} is below the two meta pages");
            return;
        }

        if ((double)highWater * pageSize > length)
        {
            Report($"file is {length} bytes but meta {meta.Index} (txid {meta.TxId}) counts {highWater} pages of {pageSize} bytes: it was cut short");
            return;
        }

        reachable = new bool[checked((int)highWater)];
        Mark(0, 0);
        Mark(1, 0);
        if (meta.FreelistPage != BoltFormat.NoFreelist)
        {
            ReadFreelist(meta.FreelistPage);
        }

        if (meta.RootPage == 0)
        {
            Report($"meta {meta.Index}: root bucket has no page");
        }
        else
        {
            Buckets++;
            WalkBucket(meta.RootPage, "root");
        }

        if (meta.FreelistPage != BoltFormat.NoFreelist && problems.Count == 0)
        {
            var unaccounted = new List<ulong>();
            for (ulong id = 2; id < highWater; id++)
            {
                if (!reachable[id] && !freed.Contains(id))
                {
                    unaccounted.Add(id);
                }
            }

            if (unaccounted.Count > 0)
            {
                Report($"{unaccounted.Count} page(s) neither reachable nor free (first: {string.Join(", ", unaccounted.Take(5))})");
            }
        }
    }

    private void ReadFreelist(ulong id)
    {
        var page = ReadPage(id, "freelist");
        if (page is null)
        {
            return;
        }

        var (bytes, flags, count, _) = page.Value;
        if (flags != BoltFormat.Freelist)
        {
            Report($"page {id}: meta points to a freelist but the page is {BoltFormat.TypeName(flags)}");
            return;
        }

        long n = count;
        var start = BoltFormat.PageHeaderSize;
        if (count == 0xFFFF)
        {
            n = checked((long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(start)), long.MaxValue));
            start += 8;
        }

        if (n > (bytes.Length - start) / 8)
        {
            Report($"page {id}: freelist claims {n} ids, more than the page holds");
            return;
        }

        for (long i = 0; i < n; i++)
        {
            var free = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(checked(start + (int)i * 8)));
            if (free < 2 || free >= highWater)
            {
                Report($"page {id}: freelist holds page {free}, outside 2..{highWater - 1}");
            }
            else if (!freed.Add(free))
            {
                Report($"page {free}: freed twice");
            }
            else if (reachable[free])
            {
                Report($"page {free}: both free and in use");
            }
        }
    }

    private void WalkBucket(ulong root, string bucket)
    {
        byte[]? last = null;
        WalkTree(root, bucket, null, null, 0, ref last);
    }

    private void WalkTree(ulong id, string bucket, byte[]? low, byte[]? high, int depth, ref byte[]? last)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (problems.Count >= MaxProblems)
        {
            return;
        }

        if (depth > MaxDepth)
        {
            Report($"bucket {bucket}: tree deeper than {MaxDepth} levels at page {id}");
            return;
        }

        var page = ReadPage(id, bucket);
        if (page is null)
        {
            return;
        }

        var (bytes, flags, count, _) = page.Value;
        if (flags == BoltFormat.Branch)
        {
            WalkBranch(id, bytes, count, bucket, low, high, depth, ref last);
        }
        else if (flags == BoltFormat.Leaf)
        {
            WalkLeaf(bytes, $"page {id}", count, bucket, low, high, ref last);
        }
        else
        {
            Report($"page {id}: expected a branch or leaf page of bucket {bucket}, found {BoltFormat.TypeName(flags)}");
        }
    }

    private void WalkBranch(ulong id, byte[] bytes, ushort count, string bucket, byte[]? low, byte[]? high, int depth, ref byte[]? last)
    {
        if (count == 0)
        {
            Report($"page {id}: empty branch page in bucket {bucket}");
            return;
        }

        var children = new (byte[] Key, ulong Child)[count];
        for (var i = 0; i < count; i++)
        {
            var at = BoltFormat.PageHeaderSize + i * BoltFormat.ElementSize;
            if (at + BoltFormat.ElementSize > bytes.Length)
            {
                Report($"page {id}: {count} branch elements do not fit in the page");
                return;
            }

            var pos = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var ksize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var child = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 8));
            var keyStart = (long)at + pos;
            if (keyStart + ksize > bytes.Length)
            {
                Report($"page {id}: branch key {i} lies outside the page");
                return;
            }

            var key = bytes.AsSpan((int)keyStart, (int)ksize).ToArray();
            if (i > 0 && key.AsSpan().SequenceCompareTo(children[i - 1].Key) <= 0)
            {
                Report($"page {id}: branch keys out of order in bucket {bucket}");
                return;
            }

            if ((low is not null && key.AsSpan().SequenceCompareTo(low) < 0) || (high is not null && key.AsSpan().SequenceCompareTo(high) >= 0))
            {
                Report($"page {id}: branch key outside the range its parent gives it in bucket {bucket}");
                return;
            }

            children[i] = (key, child);
        }

        for (var i = 0; i < count; i++)
        {
            var childHigh = i + 1 < count ? children[i + 1].Key : high;
            var childLow = i == 0 ? low : children[i].Key;
            WalkTree(children[i].Child, bucket, childLow, childHigh, depth + 1, ref last);
        }
    }

    /// <summary>Walks leaf elements of a page, or of an inline bucket's page held in a value.</summary>
    private void WalkLeaf(ReadOnlySpan<byte> bytes, string where, ushort count, string bucket, byte[]? low, byte[]? high, ref byte[]? last)
    {
        for (var i = 0; i < count; i++)
        {
            var at = BoltFormat.PageHeaderSize + i * BoltFormat.ElementSize;
            if (at + BoltFormat.ElementSize > bytes.Length)
            {
                Report($"{where}: {count} leaf elements do not fit in the page");
                return;
            }

            var flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
            var pos = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            var ksize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 8)..]);
            var vsize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 12)..]);
            var keyStart = (long)at + pos;
            if (keyStart + ksize + vsize > bytes.Length)
            {
                Report($"{where}: leaf element {i} lies outside the page");
                return;
            }

            var key = bytes.Slice((int)keyStart, (int)ksize);
            var value = bytes.Slice((int)(keyStart + ksize), (int)vsize);
            if (last is not null && key.SequenceCompareTo(last) <= 0)
            {
                Report($"{where}: keys out of order in bucket {bucket}");
                return;
            }

            if ((low is not null && key.SequenceCompareTo(low) < 0) || (high is not null && key.SequenceCompareTo(high) >= 0))
            {
                Report($"{where}: key outside the range its branch gives it in bucket {bucket}");
                return;
            }

            last = key.ToArray();
            Keys++;
            if ((flags & BoltFormat.BucketLeafFlag) != 0)
            {
                WalkBucketValue(where, bucket + "/" + Printable(key), value);
            }
        }
    }

    private void WalkBucketValue(string where, string bucket, ReadOnlySpan<byte> value)
    {
        Buckets++;
        if (value.Length < BoltFormat.BucketHeaderSize)
        {
            Report($"{where}: bucket {bucket} has a {value.Length}-byte header");
            return;
        }

        var root = BinaryPrimitives.ReadUInt64LittleEndian(value);
        if (root != 0)
        {
            WalkBucket(root, bucket);
            return;
        }

        var inline = value[BoltFormat.BucketHeaderSize..];
        if (inline.Length < BoltFormat.PageHeaderSize)
        {
            Report($"{where}: inline bucket {bucket} is too short to hold a page");
            return;
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(inline[8..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(inline[10..]);
        if (flags != BoltFormat.Leaf)
        {
            Report($"{where}: inline bucket {bucket} holds a {BoltFormat.TypeName(flags)} page, not a leaf");
            return;
        }

        byte[]? last = null;
        WalkLeaf(inline, $"{where} (inline bucket {bucket})", count, bucket, null, null, ref last);
    }

    /// <summary>Reads a page and its overflow, checking bounds and marking it reachable; null when unusable.</summary>
    private (byte[] Bytes, ushort Flags, ushort Count, uint Overflow)? ReadPage(ulong id, string owner)
    {
        if (id < 2 || id >= highWater)
        {
            Report($"page {id} (of {owner}): outside 2..{highWater - 1}, the pages meta {meta.Index} (txid {meta.TxId}) allocates");
            return null;
        }

        Span<byte> header = stackalloc byte[BoltFormat.PageHeaderSize];
        var offset = checked((long)id * pageSize);
        if (handle.Read(header, offset) < header.Length)
        {
            Report($"page {id}: beyond the end of the file");
            return null;
        }

        var storedId = BinaryPrimitives.ReadUInt64LittleEndian(header);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        var overflow = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (storedId != id)
        {
            Report($"page {id} (of {owner}): its header says page {storedId}");
            return null;
        }

        if (id + overflow >= highWater)
        {
            Report($"page {id} (of {owner}): its {overflow} overflow page(s) run past the high-water mark {highWater}");
            return null;
        }

        var size = checked((long)((overflow + 1UL) * (ulong)pageSize));
        if (offset + size > length)
        {
            Report($"page {id}: runs past the end of the file");
            return null;
        }

        if (!Mark(id, overflow))
        {
            return null;
        }

        var bytes = new byte[size];
        handle.Read(bytes, offset);
        return (bytes, flags, count, overflow);
    }

    private bool Mark(ulong id, uint overflow)
    {
        var ok = true;
        for (var p = id; p <= id + overflow; p++)
        {
            if (reachable[p])
            {
                Report($"page {p}: reachable twice");
                ok = false;
            }
            else if (freed.Contains(p))
            {
                Report($"page {p}: in use but on the freelist");
                ok = false;
            }

            reachable[p] = true;
            ReachablePages++;
        }

        return ok;
    }

    private void Report(string problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }

    private static string Printable(ReadOnlySpan<byte> key)
    {
        foreach (var b in key)
        {
            if (b < 0x20 || b > 0x7e)
            {
                return "0x" + Convert.ToHexStringLower(key.Length > 16 ? key[..16] : key);
            }
        }

        return System.Text.Encoding.ASCII.GetString(key);
    }
}
