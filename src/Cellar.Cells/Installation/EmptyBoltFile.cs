using System.Buffers.Binary;
using Cellar.Cells.Bolt;

namespace Cellar.Cells.Installation;

/// <summary>
/// Writes a new, empty BoltDB file exactly as bbolt lays one out when it creates a database: two
/// meta pages (txid 0 and 1, FNV-64a checksums), an empty freelist page and an empty root leaf.
/// Used by <c>cellar demo</c> so the sample installation has real stores to verify.
/// </summary>
public static class EmptyBoltFile
{
    private const int PageSize = 4096;

    public static void Write(string path)
    {
        var file = new byte[PageSize * 4];
        for (var i = 0; i < 2; i++)
        {
            var page = file.AsSpan(i * PageSize, PageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(page, (ulong)i);
            BinaryPrimitives.WriteUInt16LittleEndian(page[8..], BoltFormat.Meta);
            var meta = page[16..];
            BinaryPrimitives.WriteUInt32LittleEndian(meta, BoltFormat.Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(meta[4..], BoltFormat.Version);
            BinaryPrimitives.WriteUInt32LittleEndian(meta[8..], PageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], 3);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[32..], 2);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[40..], 4);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[48..], (ulong)i);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[BoltFormat.MetaChecksummedSize..], BoltFormat.MetaChecksum(meta));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(2 * PageSize), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2 * PageSize + 8), BoltFormat.Freelist);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(3 * PageSize), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(3 * PageSize + 8), BoltFormat.Leaf);
        File.WriteAllBytes(path, file);
    }
}
