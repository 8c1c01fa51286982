using System.Buffers.Binary;

namespace Cellar.Cells.Bolt;

/// <summary>A meta page (page 0 or 1) as written by bbolt, and whether it validates.</summary>
internal readonly record struct BoltMeta(
    int Index, ushort PageFlags, uint Magic, uint Version, uint PageSize, uint Flags, ulong RootPage, ulong FreelistPage,
    ulong HighWaterMark, ulong TxId, ulong Checksum, ulong ComputedChecksum)
{
    /// <summary>Reads the meta that follows the page header in <paramref name="page"/>, or null when too short.</summary>
    public static BoltMeta? Read(int index, ReadOnlySpan<byte> page)
    {
        if (page.Length < BoltFormat.PageHeaderSize + BoltFormat.MetaSize)
        {
            return null;
        }

        var m = page.Slice(BoltFormat.PageHeaderSize, BoltFormat.MetaSize);
        return new BoltMeta(
            index,
            BinaryPrimitives.ReadUInt16LittleEndian(page[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(m),
            BinaryPrimitives.ReadUInt32LittleEndian(m[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(m[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(m[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[48..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[56..]),
            BoltFormat.MetaChecksum(m));
    }

    /// <summary>Why the reference library would reject this meta, or null when it validates.</summary>
    public string? Invalidity()
    {
        if (Magic != BoltFormat.Magic)
        {
            return $"meta {Index}: bad magic 0x{Magic:x8}";
        }

        if (Version != BoltFormat.Version)
        {
            return $"meta {Index}: version {Version}, expected {BoltFormat.Version}";
        }

        // bbolt accepts a zero checksum (files from before checksums existed).
        if (Checksum != 0 && Checksum != ComputedChecksum)
        {
            return $"meta {Index}: checksum mismatch (stored 0x{Checksum:x16}, computed 0x{ComputedChecksum:x16})";
        }

        if ((PageFlags & BoltFormat.Meta) == 0)
        {
            return $"meta {Index}: page type is {BoltFormat.TypeName(PageFlags)}, not meta";
        }

        if (PageSize < 512 || PageSize > 1 << 24 || (PageSize & (PageSize - 1)) != 0)
        {
            return $"meta {Index}: implausible page size {PageSize}";
        }

        return null;
    }
}
