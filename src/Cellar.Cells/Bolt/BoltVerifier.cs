using Cellar.Cells.Platform;

namespace Cellar.Cells.Bolt;

/// <summary>
/// Verifies a BoltDB (bbolt) file from its on-disk format, without the reference library: it
/// chooses the meta page bbolt would choose, walks every page reachable from it and checks that
/// the file is a consistent tree (see <see cref="BoltWalk"/>). A copy taken while a writer
/// commits ("torn") fails; a copy of a quiet file passes.
/// </summary>
public static class BoltVerifier
{
    /// <summary>Candidate page sizes when meta 0 is unreadable, most common first.</summary>
    private static readonly int[] CandidatePageSizes = [4096, 8192, 16384, 65536, 32768, 2048, 1024, 512];

    public static Task<BoltCheckResult> VerifyAsync(string path, CancellationToken cancellationToken = default) =>
        Task.Run(() => Verify(path, cancellationToken), cancellationToken);

    public static BoltCheckResult Verify(string path, CancellationToken cancellationToken = default)
    {
        using var handle = UnlockedFile.OpenRead(path);
        return Verify(new FileBoltBytes(handle), path, cancellationToken);
    }

    /// <summary>
    /// Verifies the contents of a BoltDB file already read into memory, e.g. exactly the bytes a
    /// backup stored; <paramref name="name"/> names it in the result.
    /// </summary>
    public static BoltCheckResult Verify(ReadOnlyMemory<byte> contents, string name, CancellationToken cancellationToken = default) =>
        Verify(new MemoryBoltBytes(contents), name, cancellationToken);

    private static BoltCheckResult Verify(IBoltBytes handle, string path, CancellationToken cancellationToken)
    {
        var length = handle.Length;
        var problems = new List<string>();
        if (length < 2 * BoltFormat.PageHeaderSize + BoltFormat.MetaSize)
        {
            problems.Add($"file is {length} bytes, too short to hold the two meta pages");
            return new BoltCheckResult(path, problems, null);
        }

        var first = new byte[(int)Math.Min(length, 64 * 1024)];
        handle.Read(first, 0);
        var meta0 = BoltMeta.Read(0, first)!.Value;
        int pageSize;
        BoltMeta? meta1 = null;
        if (meta0.Invalidity() is null)
        {
            pageSize = checked((int)meta0.PageSize);
            meta1 = ReadMeta1(handle, length, pageSize);
        }
        else
        {
            pageSize = 0;
            foreach (var candidate in CandidatePageSizes)
            {
                if (ReadMeta1(handle, length, candidate) is { } m && m.Invalidity() is null && m.PageSize == candidate)
                {
                    pageSize = candidate;
                    meta1 = m;
                    break;
                }
            }
        }

        var reason0 = meta0.Invalidity();
        var reason1 = meta1 is { } m1 ? m1.Invalidity() : "meta 1: not readable at any plausible page size";
        if (reason0 is not null && reason1 is not null)
        {
            problems.Add($"no valid meta page ({reason0}; {reason1})");
            return new BoltCheckResult(path, problems, null);
        }

        // bbolt uses the meta with the higher txid, unless it fails validation.
        BoltMeta chosen;
        if (reason0 is null && reason1 is null)
        {
            chosen = meta1!.Value.TxId > meta0.TxId ? meta1.Value : meta0;
        }
        else
        {
            chosen = reason0 is null ? meta0 : meta1!.Value;
        }

        if (chosen.PageSize != pageSize)
        {
            problems.Add($"meta {chosen.Index} says page size {chosen.PageSize} but the file's meta pages are {pageSize} bytes apart");
            return new BoltCheckResult(path, problems, null);
        }

        var walk = new BoltWalk(handle, length, pageSize, chosen, problems, cancellationToken);
        walk.Run();
        var summary = new BoltFileSummary(pageSize, chosen.TxId, chosen.HighWaterMark, chosen.Index, walk.ReachablePages, walk.FreePages, walk.Keys, walk.Buckets);
        return new BoltCheckResult(path, problems, summary);
    }

    private static BoltMeta? ReadMeta1(IBoltBytes handle, long length, int pageSize)
    {
        if (length < pageSize + BoltFormat.PageHeaderSize + BoltFormat.MetaSize)
        {
            return null;
        }

        var buffer = new byte[BoltFormat.PageHeaderSize + BoltFormat.MetaSize];
        handle.Read(buffer, pageSize);
        return BoltMeta.Read(1, buffer);
    }
}
