namespace Cellar.Repository.Archiving;

/// <summary>Orders names bytewise, as restic (Go string comparison) sorts tree nodes.</summary>
internal sealed class ByteComparer : IComparer<byte[]>
{
    public static ByteComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
