using System.Security.Cryptography;
using Cellar.Repository.Model;

namespace Cellar.Repository.Browsing;

/// <summary>
/// Counts snapshots as restic 0.14's <c>stats</c> does, mode by mode. In the content modes every
/// entry with the same blob list is one "file" (so all folders and links together count once, as
/// in restic); restore-size counts every entry, folders included.
/// </summary>
public sealed class StatsCollector(ResticRepository repository, StatsMode mode)
{
    private readonly HashSet<string> _contents = [];
    private readonly Dictionary<string, HashSet<Id>> _fileBlobs = new(StringComparer.Ordinal);
    private readonly HashSet<BlobHandle> _blobs = [];
    private ulong _size;
    private ulong _files;
    private ulong _blobCount;
    private int _snapshots;

    public async Task AddAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var tree = snapshot.Tree ?? throw new RepositoryCorruptException($"snapshot {snapshot.Id.ToShortString()} has no tree");
        _snapshots++;
        if (mode == StatsMode.RawData)
        {
            await CollectBlobsAsync(tree, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WalkAsync(tree, "/", new HashSet<(ulong, ulong)>(), new HashSet<(Id, string)>(), cancellationToken).ConfigureAwait(false);
    }

    public RepositoryStats Result()
    {
        if (mode != StatsMode.RawData)
        {
            return new RepositoryStats(_size, _files, _blobCount, _snapshots);
        }

        ulong size = 0;
        foreach (var blob in _blobs)
        {
            if (!repository.Index.TryLookup(blob, out var packed))
            {
                throw new RepositoryCorruptException($"{blob.Type.ToString().ToLowerInvariant()} blob {blob.Id} is not in the index");
            }

            size += (ulong)packed.Length;
        }

        return new RepositoryStats(size, 0, (ulong)_blobs.Count, _snapshots);
    }

    private async Task CollectBlobsAsync(Id treeId, CancellationToken cancellationToken)
    {
        if (!_blobs.Add(new BlobHandle(treeId, BlobType.Tree)))
        {
            return;
        }

        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.File)
            {
                foreach (var id in node.Content ?? [])
                {
                    _blobs.Add(new BlobHandle(id, BlobType.Data));
                }
            }
            else if (node.IsDirectory && node.Subtree is { } subtree)
            {
                await CollectBlobsAsync(subtree, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One snapshot's walk. As restic's walker, a subtree seen before in this snapshot whose entries
    /// all counted nothing new is not walked again (it cannot count anything new).
    /// </summary>
    private async Task<bool> WalkAsync(Id treeId, string prefix, HashSet<(ulong, ulong)> inodes, HashSet<(Id, string)> skip, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        var allIgnored = tree.Nodes.Count > 0;
        foreach (var node in tree.Nodes)
        {
            var path = prefix.TrimEnd('/') + "/" + node.Name;
            var ignore = Visit(path, node, inodes);
            allIgnored &= ignore;
            if (node.IsDirectory && node.Subtree is { } subtree)
            {
                if (mode != StatsMode.RestoreSize && skip.Contains((subtree, "")))
                {
                    continue;
                }

                if (await WalkAsync(subtree, path, inodes, skip, cancellationToken).ConfigureAwait(false))
                {
                    skip.Add((subtree, ""));
                }
                else
                {
                    allIgnored = false;
                }
            }
        }

        return allIgnored;
    }

    /// <summary>Counts one entry; returns restic's "ignore" (true: nothing here needs the subtree walked again).</summary>
    private bool Visit(string path, Node node, HashSet<(ulong, ulong)> inodes)
    {
        switch (mode)
        {
            case StatsMode.RestoreSize:
                _files++;
                if (node.Inode == 0 || inodes.Add((node.Inode, node.DeviceId)))
                {
                    _size += node.Size;
                }

                return false;
            case StatsMode.FilesByContents:
            case StatsMode.BlobsPerFile:
                if (!_contents.Add(ContentKey(node)))
                {
                    return true;
                }

                if (mode == StatsMode.FilesByContents)
                {
                    _size += node.Size;
                    _files++;
                    return true;
                }

                foreach (var id in node.Content ?? [])
                {
                    if (!_fileBlobs.TryGetValue(path, out var seen))
                    {
                        _fileBlobs[path] = seen = [];
                        _files++;
                    }

                    if (seen.Add(id))
                    {
                        if (!repository.Index.TryLookup(id, BlobType.Data, out var packed))
                        {
                            throw new RepositoryCorruptException($"data blob {id} of {path} is not in the index");
                        }

                        _size += (ulong)packed.PlaintextLength;
                        _blobCount++;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static string ContentKey(Node node)
    {
        var content = node.Content ?? [];
        var bytes = new byte[content.Count * 32];
        for (var i = 0; i < content.Count; i++)
        {
            content[i].CopyTo(bytes.AsSpan(i * 32, 32));
        }

        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
