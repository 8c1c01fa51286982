namespace Cellar.Cells.Bolt;

/// <summary>File contents already in memory.</summary>
internal sealed class MemoryBoltBytes(ReadOnlyMemory<byte> contents) : IBoltBytes
{
    public long Length => contents.Length;

    public int Read(Span<byte> buffer, long offset)
    {
        if (offset >= contents.Length)
        {
            return 0;
        }

        var available = contents.Span[(int)offset..];
        var n = Math.Min(available.Length, buffer.Length);
        available[..n].CopyTo(buffer);
        return n;
    }
}
