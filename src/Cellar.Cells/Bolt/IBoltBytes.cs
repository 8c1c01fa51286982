namespace Cellar.Cells.Bolt;

/// <summary>The bytes of a BoltDB file: on disk, or a copy in memory (what a backup read).</summary>
internal interface IBoltBytes
{
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; fewer only at the end.</summary>
    int Read(Span<byte> buffer, long offset);
}

