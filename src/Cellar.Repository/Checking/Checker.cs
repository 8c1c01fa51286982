using System.Collections.Concurrent;
using Cellar.Repository.Blobs;
using Cellar.Repository.Index;
using Cellar.Repository.Model;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Checking;

/// <summary>
/// Verifies a repository as <c>restic check</c> does: index files load; indexed packs exist and
/// every pack is indexed; each pack's header agrees with the index; every snapshot's trees load and
/// reference only indexed blobs. With <c>readData</c>, every pack is read in full, its SHA-256
/// compared with its name and every blob decrypted and hash-checked. Damage is reported by name,
/// with the snapshots and paths it affects.
/// </summary>
public sealed class Checker(ResticRepository repository, Action<string>? progress = null)
{
    private const int PackParallelism = 4;

    public Task<CheckResult> CheckAsync(bool readData, CancellationToken cancellationToken) =>
        CheckAsync(readData ? ReadDataSubset.All : null, cancellationToken);

    /// <summary>Checks the structure, and reads in full the packs <paramref name="readData"/> picks (none when null).</summary>
    public async Task<CheckResult> CheckAsync(ReadDataSubset? readData, CancellationToken cancellationToken)
    {
        var result = new CheckResult();
        progress?.Invoke("load indexes");
        await repository.LoadIndexAsync(cancellationToken, throwOnError: false).ConfigureAwait(false);
        foreach (var (id, message) in repository.IndexErrors)
        {
            result.Error($"index file {id} cannot be loaded: {message}");
        }

        var index = repository.Index;
        progress?.Invoke("check all packs");
        var stored = new Dictionary<Id, long>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored[Id.Parse(file.Name)] = file.Size;
        }

        var damagedBlobs = new ConcurrentDictionary<BlobHandle, string>();
        foreach (var packId in index.PackIds)
        {
            if (!stored.ContainsKey(packId))
            {
                result.Error($"pack {packId} is in the index but missing from the repository");
                foreach (var blob in index.BlobsInPack(packId))
                {
                    damagedBlobs.TryAdd(blob.Blob, $"its pack {packId} is missing");
                }
            }
        }

        foreach (var packId in stored.Keys.Where(p => !index.PackIds.Contains(p)))
        {
            result.Warning($"pack {packId} is not referenced in any index (left by an interrupted backup; prune removes it)");
        }

        var toCheck = stored.Where(p => index.PackIds.Contains(p.Key)).ToDictionary();
        var toRead = readData is null ? [] : readData.Select(toCheck).ToHashSet();
        if (readData is not null && readData != ReadDataSubset.All)
        {
            progress?.Invoke($"read {toRead.Count} of {toCheck.Count} packs ({readData.Text})");
        }

        await Parallel.ForEachAsync(toCheck, new ParallelOptions { MaxDegreeOfParallelism = PackParallelism, CancellationToken = cancellationToken }, async (pack, ct) =>
        {
            await CheckPackAsync(pack.Key, pack.Value, toRead.Contains(pack.Key), result, damagedBlobs, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        result.PacksChecked = toCheck.Count;
        result.PacksRead = toRead.Count;

        progress?.Invoke("check snapshots, trees and blobs");
        await CheckSnapshotsAsync(result, damagedBlobs, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task CheckPackAsync(Id packId, long size, bool readData, CheckResult result, ConcurrentDictionary<BlobHandle, string> damaged, CancellationToken cancellationToken)
    {
        var indexed = repository.Index.BlobsInPack(packId);
        List<PackedBlob> header;
        byte[]? content = null;
        try
        {
            if (readData)
            {
                content = await repository.Backend.LoadAsync(new FileHandle(FileType.Pack, packId.ToString()), 0, 0, cancellationToken).ConfigureAwait(false);
                lock (result)
                {
                    result.BytesRead += content.Length;
                }

                if (Id.Hash(content) != packId)
                {
                    result.Error($"pack {packId}: its content does not hash to its name (damaged pack)");
                }
            }

            header = content is null
                ? await PackHeader.ReadAsync(repository.Backend, packId, size, repository.Key, cancellationToken).ConfigureAwait(false)
                : ParseHeader(content, packId);
        }
        catch (Exception ex) when (ex is RepositoryCorruptException or IOException)
        {
            result.Error($"pack {packId}: {ex.Message}");
            foreach (var blob in indexed)
            {
                damaged.TryAdd(blob.Blob, $"pack {packId} is damaged");
            }

            return;
        }

        var inHeader = header.ToHashSet();
        foreach (var blob in indexed)
        {
            if (!inHeader.Contains(blob))
            {
                result.Error($"pack {packId}: {blob.Blob} at offset {blob.Offset} (length {blob.Length}) is in the index but not in the pack header");
                damaged.TryAdd(blob.Blob, $"pack {packId} does not hold it where the index says");
            }
        }

        var indexedSet = indexed.ToHashSet();
        foreach (var blob in header.Where(b => !indexedSet.Contains(b)))
        {
            if (repository.Index.TryLookup(blob.Blob, out _))
            {
                continue; // stored twice; the index names the other copy
            }

            result.Error($"pack {packId}: {blob.Blob} is in the pack header but not in any index");
        }

        if (content is null)
        {
            return;
        }

        foreach (var blob in header)
        {
            try
            {
                BlobDecoder.DecodeFromPackRange(repository.Key, blob, content, 0);
            }
            catch (RepositoryCorruptException ex)
            {
                result.Error(ex.Message);
                damaged.TryAdd(blob.Blob, ex.Message);
            }
        }
    }

    private List<PackedBlob> ParseHeader(byte[] pack, Id packId)
    {
        if (pack.Length < 4 + Crypto.MasterKey.Overhead)
        {
            throw new RepositoryCorruptException($"{pack.Length} bytes is too small to hold a header");
        }

        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(pack.Length - 4));
        if (headerLength < Crypto.MasterKey.Overhead || headerLength + 4L > pack.Length)
        {
            throw new RepositoryCorruptException($"the header length {headerLength} does not fit the pack size {pack.Length}");
        }

        return PackHeader.Parse(pack.AsSpan(pack.Length - 4 - (int)headerLength, (int)headerLength), packId, repository.Key, pack.Length);
    }

    private async Task CheckSnapshotsAsync(CheckResult result, ConcurrentDictionary<BlobHandle, string> damaged, CancellationToken cancellationToken)
    {
        var ids = new List<Id>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(Id.Parse(file.Name));
        }

        // Tree id → problems found inside it (relative paths), so shared trees are walked once.
        var treeProblems = new Dictionary<Id, List<string>>();
        foreach (var id in ids)
        {
            Snapshot snapshot;
            try
            {
                snapshot = await repository.LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RepositoryCorruptException or IOException)
            {
                result.Error($"snapshot {id} cannot be loaded: {ex.Message}");
                continue;
            }

            result.SnapshotsChecked++;
            if (snapshot.Tree is not { } root)
            {
                result.Error($"snapshot {id.ToShortString()} has no tree");
                continue;
            }

            var problems = await WalkAsync(root, "", treeProblems, damaged, result, cancellationToken).ConfigureAwait(false);
            foreach (var problem in problems)
            {
                result.Error($"snapshot {id.ToShortString()}: {problem}");
            }
        }
    }

    private async Task<List<string>> WalkAsync(Id treeId, string path, Dictionary<Id, List<string>> seen, ConcurrentDictionary<BlobHandle, string> damaged, CheckResult result, CancellationToken cancellationToken)
    {
        if (seen.TryGetValue(treeId, out var known))
        {
            return known.Select(p => p.Replace("\u0000", path, StringComparison.Ordinal)).ToList();
        }

        // Problems are recorded relative to this tree, with \0 standing for the tree's own path.
        var problems = new List<string>();
        seen[treeId] = problems;
        Tree tree;
        var handle = new BlobHandle(treeId, BlobType.Tree);
        if (!repository.Index.TryLookup(handle, out _))
        {
            problems.Add($"tree {treeId} for \u0000/ is not in the index");
            return Resolve(problems, path);
        }

        if (damaged.TryGetValue(handle, out var why))
        {
            problems.Add($"tree {treeId} for \u0000/ is damaged: {why}");
            return Resolve(problems, path);
        }

        try
        {
            tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RepositoryCorruptException or IOException)
        {
            problems.Add($"tree {treeId} for \u0000/ cannot be loaded: {ex.Message}");
            return Resolve(problems, path);
        }

        result.TreesChecked++;
        foreach (var node in tree.Nodes)
        {
            var childPath = "\u0000/" + node.Name;
            switch (node.Type)
            {
                case NodeType.File:
                    if (node.Content is null)
                    {
                        problems.Add($"file {childPath} has no content list");
                        break;
                    }

                    foreach (var blob in node.Content)
                    {
                        var data = new BlobHandle(blob, BlobType.Data);
                        if (!repository.Index.Contains(data))
                        {
                            problems.Add($"file {childPath}: data blob {blob} is not in the index");
                        }
                        else if (damaged.TryGetValue(data, out var reason))
                        {
                            problems.Add($"file {childPath}: data blob {blob} is damaged ({reason})");
                        }
                    }

                    break;
                case NodeType.Dir:
                    if (node.Subtree is not { } subtree)
                    {
                        problems.Add($"directory {childPath} has no subtree");
                        break;
                    }

                    var inner = await WalkAsync(subtree, "\u0001", seen, damaged, result, cancellationToken).ConfigureAwait(false);
                    problems.AddRange(inner.Select(p => p.Replace("\u0001", childPath, StringComparison.Ordinal)));
                    break;
            }
        }

        return Resolve(problems, path);
    }

    private static List<string> Resolve(List<string> problems, string path) =>
        problems.Select(p => p.Replace("\u0000", path, StringComparison.Ordinal)).ToList();
}
