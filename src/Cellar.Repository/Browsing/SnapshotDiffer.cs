using Cellar.Repository.Json;
using Cellar.Repository.Model;

namespace Cellar.Repository.Browsing;

/// <summary>
/// Compares two trees as restic's <c>diff</c> does. Each change is reported with restic's modifier:
/// <c>+</c> added, <c>-</c> removed, <c>T</c> type changed, <c>M</c> file content changed, <c>U</c>
/// metadata changed (only when asked). Folders end in <c>/</c>; an added or removed folder lists
/// everything below it. The totals count blobs reachable only from one side (plaintext bytes).
/// </summary>
public sealed class SnapshotDiffer(ResticRepository repository, bool showMetadata, Action<string, string> change)
{
    private readonly HashSet<BlobHandle> _before = [];
    private readonly HashSet<BlobHandle> _after = [];
    private readonly HashSet<BlobHandle> _common = [];
    private readonly DiffCounts _added = new();
    private readonly DiffCounts _removed = new();
    private int _changedFiles;

    public async Task<SnapshotDiff> CompareAsync(Id tree1, Id tree2, CancellationToken cancellationToken)
    {
        _before.Add(new BlobHandle(tree1, BlobType.Tree));
        _after.Add(new BlobHandle(tree2, BlobType.Tree));
        await DiffTreeAsync("/", tree1, tree2, cancellationToken).ConfigureAwait(false);
        var both = new HashSet<BlobHandle>(_before);
        both.IntersectWith(_after);
        Tally(_before.Where(b => !both.Contains(b) && !_common.Contains(b)), _removed);
        Tally(_after.Where(b => !both.Contains(b) && !_common.Contains(b)), _added);
        return new SnapshotDiff(_changedFiles, _added, _removed);
    }

    private void Tally(IEnumerable<BlobHandle> blobs, DiffCounts counts)
    {
        foreach (var blob in blobs)
        {
            if (blob.Type == BlobType.Data)
            {
                counts.DataBlobs++;
            }
            else
            {
                counts.TreeBlobs++;
            }

            if (repository.Index.TryLookup(blob, out var packed))
            {
                counts.Bytes += (ulong)packed.PlaintextLength;
            }
        }
    }

    private async Task DiffTreeAsync(string prefix, Id id1, Id id2, CancellationToken cancellationToken)
    {
        var tree1 = await repository.LoadTreeAsync(id1, cancellationToken).ConfigureAwait(false);
        var tree2 = await repository.LoadTreeAsync(id2, cancellationToken).ConfigureAwait(false);
        var i = 0;
        var j = 0;
        while (i < tree1.Nodes.Count || j < tree2.Nodes.Count)
        {
            var order = i == tree1.Nodes.Count ? 1 : j == tree2.Nodes.Count ? -1 : CompareNames(tree1.Nodes[i], tree2.Nodes[j]);
            var node1 = order <= 0 ? tree1.Nodes[i++] : null;
            var node2 = order >= 0 ? tree2.Nodes[j++] : null;
            AddBlobs(_before, node1);
            AddBlobs(_after, node2);
            var name = Join(prefix, (node1 ?? node2)!.Name);
            if (node1 is not null && node2 is not null)
            {
                await BothAsync(name, node1, node2, cancellationToken).ConfigureAwait(false);
            }
            else if (node1 is not null)
            {
                await OneSideAsync("-", name, node1, _removed, _before, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await OneSideAsync("+", name, node2!, _added, _after, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task BothAsync(string name, Node node1, Node node2, CancellationToken cancellationToken)
    {
        var modifier = node1.Type != node2.Type ? "T" : "";
        if (node2.IsDirectory)
        {
            name += "/";
        }

        if (node1.Type == NodeType.File && node2.Type == NodeType.File && !(node1.Content ?? []).SequenceEqual(node2.Content ?? []))
        {
            modifier += "M";
            _changedFiles++;
        }
        else if (showMetadata && !SameNode(node1, node2))
        {
            modifier += "U";
        }

        if (modifier.Length > 0)
        {
            change(modifier, name);
        }

        if (node1.IsDirectory && node2.IsDirectory && node1.Subtree is { } s1 && node2.Subtree is { } s2)
        {
            if (s1 == s2)
            {
                await CollectAsync(s1, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DiffTreeAsync(name, s1, s2, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task OneSideAsync(string modifier, string name, Node node, DiffCounts counts, HashSet<BlobHandle> blobs, CancellationToken cancellationToken)
    {
        if (node.IsDirectory)
        {
            name += "/";
        }

        change(modifier, name);
        counts.Count(node);
        if (node.IsDirectory && node.Subtree is { } subtree)
        {
            await ListAsync(modifier, name, subtree, counts, blobs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Everything below an added or removed folder, each reported and counted.</summary>
    private async Task ListAsync(string modifier, string prefix, Id treeId, DiffCounts counts, HashSet<BlobHandle> blobs, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            var name = Join(prefix, node.Name) + (node.IsDirectory ? "/" : "");
            change(modifier, name);
            counts.Count(node);
            AddBlobs(blobs, node);
            if (node.IsDirectory && node.Subtree is { } subtree)
            {
                await ListAsync(modifier, name, subtree, counts, blobs, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The blobs of an unchanged folder: neither added nor removed.</summary>
    private async Task CollectAsync(Id treeId, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            AddBlobs(_common, node);
            if (node.IsDirectory && node.Subtree is { } subtree)
            {
                await CollectAsync(subtree, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void AddBlobs(HashSet<BlobHandle> blobs, Node? node)
    {
        if (node is null)
        {
            return;
        }

        if (node.Type == NodeType.File)
        {
            foreach (var id in node.Content ?? [])
            {
                blobs.Add(new BlobHandle(id, BlobType.Data));
            }
        }
        else if (node.IsDirectory && node.Subtree is { } subtree)
        {
            blobs.Add(new BlobHandle(subtree, BlobType.Tree));
        }
    }

    private static bool SameNode(Node a, Node b)
    {
        var wa = new GoJsonWriter();
        a.WriteTo(wa);
        var wb = new GoJsonWriter();
        b.WriteTo(wb);
        return wa.WrittenSpan.SequenceEqual(wb.WrittenSpan);
    }

    private static int CompareNames(Node a, Node b) => a.RawName.AsSpan().SequenceCompareTo(b.RawName);

    /// <summary>Go's path.Join of a folder path and a name (the folder may end in '/').</summary>
    private static string Join(string prefix, string name) => prefix.TrimEnd('/') + "/" + name;
}
