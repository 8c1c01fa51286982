namespace Cellar.Cells.Bolt;

/// <summary>Page types and sizes of the BoltDB (bbolt) file format.</summary>
internal static class BoltFormat
{
    public const ushort Branch = 0x01;
    public const ushort Leaf = 0x02;
    public const ushort Meta = 0x04;
    public const ushort Freelist = 0x10;

    public const uint BucketLeafFlag = 0x01;

    public const uint Magic = 0xED0CDAED;
    public const uint Version = 2;

    /// <summary>id u64, flags u16, count u16, overflow u32.</summary>
    public const int PageHeaderSize = 16;

    /// <summary>branch element: pos u32, ksize u32, pgid u64; leaf element: flags u32, pos u32, ksize u32, vsize u32.</summary>
    public const int ElementSize = 16;

    /// <summary>Bucket value header: root pgid u64, sequence u64.</summary>
    public const int BucketHeaderSize = 16;

    /// <summary>The meta fields covered by the checksum: magic, version, page size, flags, root bucket, freelist, pgid, txid.</summary>
    public const int MetaChecksummedSize = 56;

    public const int MetaSize = MetaChecksummedSize + 8;

    public const ulong NoFreelist = ulong.MaxValue;

    /// <summary>A meta page's checksum, as bbolt computes it: FNV-64a over the first <see cref="MetaChecksummedSize"/> bytes of the meta.</summary>
    public static ulong MetaChecksum(ReadOnlySpan<byte> meta)
    {
        var hash = 14695981039346656037UL; // FNV-64 offset basis
        foreach (var b in meta[..MetaChecksummedSize])
        {
            hash ^= b;
            hash = unchecked(hash * 1099511628211UL); // FNV-64 prime
        }

        return hash;
    }

    public static string TypeName(ushort flags) => flags switch
    {
        Branch => "branch",
        Leaf => "leaf",
        Meta => "meta",
        Freelist => "freelist",
        _ => $"unknown<0x{flags:x2}>",
    };
}
