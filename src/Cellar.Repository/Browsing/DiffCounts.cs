namespace Cellar.Repository.Browsing;

/// <summary>What one side of a diff added or removed, counted as restic's <c>diff</c> counts it.</summary>
public sealed class DiffCounts
{
    public int Files { get; internal set; }
    public int Dirs { get; internal set; }
    public int Others { get; internal set; }
    public int DataBlobs { get; internal set; }
    public int TreeBlobs { get; internal set; }

    /// <summary>Plaintext bytes of the counted blobs.</summary>
    public ulong Bytes { get; internal set; }

    internal void Count(Model.Node node)
    {
        switch (node.Type)
        {
            case Model.NodeType.File:
                Files++;
                break;
            case Model.NodeType.Dir:
                Dirs++;
                break;
            default:
                Others++;
                break;
        }
    }
}
