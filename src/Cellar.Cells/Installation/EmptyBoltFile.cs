using System.Buffers.Binary;

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
            BinaryPrimitives.WriteUInt16LittleEndian(page[8..], 0x04);
            var meta = page[16..];
            BinaryPrimitives.WriteUInt32LittleEndian(meta, 0xED0CDAED);
            BinaryPrimitives.WriteUInt32LittleEndian(meta[4..], 2);
            BinaryPrimitives.WriteUInt32LittleEndian(meta[8..], PageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], 3);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[32..], 2);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[40..], 4);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[48..], (ulong)i);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[56..], Fnv64a(meta[..56]));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(2 * PageSize), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2 * PageSize + 8), 0x10);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(3 * PageSize), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(3 * PageSize + 8), 0x02);
        File.WriteAllBytes(path, file);
    }

    private static ulong Fnv64a(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash ^= b;
            hash = unchecked(hash * 1099511628211UL);
        }

        return hash;
    }
}
