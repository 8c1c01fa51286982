using Cellar.Repository.Model;

namespace Cellar.Repository.Archiving;

/// <summary>
/// The parent snapshot's tree of the directory being walked, with its id (reused when nothing
/// below changed). Its nodes are matched to the sorted directory listing in one forward pass.
/// </summary>
internal sealed class ParentTree
{
    public ParentTree(Id id, Tree tree)
    {
        Id = id;
        Nodes = tree.Nodes;
        for (var i = 1; i < Nodes.Count; i++)
        {
            if (Nodes[i - 1].RawName.AsSpan().SequenceCompareTo(Nodes[i].RawName) >= 0)
            {
                // Not sorted (restic always sorts; be safe with any writer): match on a sorted copy.
                // The tree id is then never reused, since the nodes' order differs from the listing's.
                Sorted = false;
                Nodes = [.. tree.Nodes];
                Nodes.Sort(static (a, b) => a.RawName.AsSpan().SequenceCompareTo(b.RawName));
                break;
            }
        }
    }

    public Id Id { get; }

    /// <summary>The nodes, sorted by raw name.</summary>
    public List<Node> Nodes { get; }

    /// <summary>False when the stored tree was not in name order.</summary>
    public bool Sorted { get; } = true;

    /// <summary>The node of that name at or after <paramref name="cursor"/>, names asked in ascending order.</summary>
    public Node? Match(ReadOnlySpan<byte> name, ref int cursor)
    {
        while (cursor < Nodes.Count)
        {
            var order = Nodes[cursor].RawName.AsSpan().SequenceCompareTo(name);
            if (order == 0)
            {
                return Nodes[cursor++];
            }

            if (order > 0)
            {
                return null;
            }

            cursor++;
        }

        return null;
    }

    /// <summary>The node with this raw name, or null (for the few entries above the targets).</summary>
    public Node? Find(ReadOnlySpan<byte> name)
    {
        foreach (var node in Nodes)
        {
            if (name.SequenceEqual(node.RawName))
            {
                return node;
            }
        }

        return null;
    }
}
