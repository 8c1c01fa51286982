using System.Globalization;

namespace Cellar.Cells.Consistency;

/// <summary>
/// Proves that each LOCAL datasource's folder and its SQL index agree, by Cells' own rules (see
/// docs/cells.md, "The consistency proof"):
/// <list type="bullet">
/// <item>flat storage: every file row of the index (leaf, not <c>.pydio</c>, not a temporary
/// upload) has its object, named by the node uuid, in the datasource folder, with the size the
/// index gives; objects no row names are listed as orphans;</item>
/// <item>structured storage: every file row has its file at the path the index tree gives, with
/// that size, and every folder row's folder holds a <c>.pydio</c> file containing the row's uuid;
/// files no row names are listed as orphans.</item>
/// </list>
/// </summary>
public static class ConsistencyProof
{
    public static async Task<ConsistencyReport> RunAsync(IEnumerable<ProofTarget> targets, IIndexReader index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(index);
        var proofs = new List<DatasourceProof>();
        foreach (var target in targets)
        {
            IReadOnlyList<IndexNode>? rows;
            try
            {
                rows = await index.ReadAsync(target.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                proofs.Add(new DatasourceProof(target.Name, target.Folder, target.FlatStorage, 0, 0, 0,
                    [new ConsistencyFinding(target.Name, "no-index", IndexTables.TreeTable(target.Name), ex.Message)]));
                continue;
            }

            proofs.Add(await Task.Run(() => Prove(target, rows), cancellationToken).ConfigureAwait(false));
        }

        return new ConsistencyReport(proofs);
    }

    /// <summary>The proof of one datasource against its index rows (null: the database has no index table for it).</summary>
    public static DatasourceProof Prove(ProofTarget target, IReadOnlyList<IndexNode>? rows)
    {
        ArgumentNullException.ThrowIfNull(target);
        var findings = new List<ConsistencyFinding>();
        if (rows is null && Directory.Exists(target.Folder) && ListObjects(target.Folder).All(o => Path.GetFileName(o.Relative) == IndexTables.PydioFile))
        {
            // An empty datasource whose index Cells has not created yet: nothing to disagree about.
            return new DatasourceProof(target.Name, target.Folder, target.FlatStorage, 0, 0, 0, findings);
        }

        if (rows is null)
        {
            findings.Add(new ConsistencyFinding(target.Name, "no-index", IndexTables.TreeTable(target.Name),
                "the database has no index table for this datasource, so its files cannot be named or checked"));
            return new DatasourceProof(target.Name, target.Folder, target.FlatStorage, 0, 0, 0, findings);
        }

        if (!Directory.Exists(target.Folder))
        {
            findings.Add(new ConsistencyFinding(target.Name, "missing-folder", target.Folder, "the datasource folder does not exist"));
            return new DatasourceProof(target.Name, target.Folder, target.FlatStorage, 0, 0, 0, findings);
        }

        var paths = TreePaths(rows);
        var files = rows.Where(r => r.Leaf && r.Name != IndexTables.PydioFile && r.Etag != IndexTables.TemporaryEtag).ToList();
        var folders = rows.Where(r => !r.Leaf && r.MPath != "1").ToList();
        var objects = ListObjects(target.Folder);
        if (target.FlatStorage)
        {
            ProveFlat(target, files, paths, objects, findings);
        }
        else
        {
            ProveStructured(target, files, folders, paths, objects, findings);
        }

        return new DatasourceProof(target.Name, target.Folder, target.FlatStorage, files.Count, folders.Count, objects.Count, findings);
    }

    private static void ProveFlat(ProofTarget target, List<IndexNode> files, Dictionary<string, string> paths, List<(string Relative, long Size)> objects, List<ConsistencyFinding> findings)
    {
        // Cells names a flat object by the node uuid (common/nodes/core/handler-exec.go, buildS3Path),
        // under the datasource's base folder; matching by file name also finds it in a sharded layout.
        var byName = new Dictionary<string, (string Relative, long Size)>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            byName.TryAdd(Path.GetFileName(o.Relative), o);
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            named.Add(file.Uuid);
            var path = paths.GetValueOrDefault(file.Uuid, file.Name);
            if (!byName.TryGetValue(file.Uuid, out var o))
            {
                findings.Add(new ConsistencyFinding(target.Name, "missing-object", path,
                    $"the index names object {file.Uuid} ({Size(file.Size)}), which is not in {target.Folder}"));
            }
            else if (o.Size != file.Size)
            {
                findings.Add(new ConsistencyFinding(target.Name, "size-mismatch", path,
                    $"object {o.Relative} holds {Size(o.Size)}, the index says {Size(file.Size)}"));
            }
        }

        foreach (var o in objects.Where(o => !named.Contains(Path.GetFileName(o.Relative))))
        {
            findings.Add(new ConsistencyFinding(target.Name, "orphan", o.Relative, $"{Size(o.Size)} that no index row names"));
        }
    }

    private static void ProveStructured(
        ProofTarget target, List<IndexNode> files, List<IndexNode> folders, Dictionary<string, string> paths, List<(string Relative, long Size)> objects, List<ConsistencyFinding> findings)
    {
        var onDisk = objects.Where(o => Path.GetFileName(o.Relative) != IndexTables.PydioFile).ToDictionary(o => o.Relative, o => o.Size, StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = paths.GetValueOrDefault(file.Uuid, file.Name);
            named.Add(path);
            if (!onDisk.TryGetValue(path, out var size))
            {
                findings.Add(new ConsistencyFinding(target.Name, "missing-object", path, $"the index holds this file ({Size(file.Size)}, uuid {file.Uuid}), but {target.Folder} does not"));
            }
            else if (size != file.Size)
            {
                findings.Add(new ConsistencyFinding(target.Name, "size-mismatch", path, $"the file holds {Size(size)}, the index says {Size(file.Size)}"));
            }
        }

        // Cells writes a folder's node uuid into its .pydio file when it creates the folder
        // (common/sync/endpoints/filesystem/client-fs.go, CreateNode).
        foreach (var folder in folders)
        {
            var path = paths.GetValueOrDefault(folder.Uuid, folder.Name);
            var pydio = Path.Combine(target.Folder, path, IndexTables.PydioFile);
            string? id = null;
            try
            {
                id = File.ReadAllText(pydio).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }

            if (id is null)
            {
                findings.Add(new ConsistencyFinding(target.Name, "pydio-mismatch", path, $"the folder has no readable {IndexTables.PydioFile} (the index gives it uuid {folder.Uuid})"));
            }
            else if (!string.Equals(id, folder.Uuid, StringComparison.Ordinal))
            {
                findings.Add(new ConsistencyFinding(target.Name, "pydio-mismatch", path, $"its {IndexTables.PydioFile} holds {id}, the index gives uuid {folder.Uuid}"));
            }
        }

        foreach (var (relative, size) in onDisk.Where(o => !named.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            findings.Add(new ConsistencyFinding(target.Name, "orphan", relative, $"{Size(size)} that no index row names"));
        }
    }

    /// <summary>Each node's path below the datasource root, from the dotted mpaths (the root, <c>1</c>, has none).</summary>
    private static Dictionary<string, string> TreePaths(IReadOnlyList<IndexNode> rows)
    {
        var byMPath = new Dictionary<string, IndexNode>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byMPath.TryAdd(row.MPath, row);
        }

        var cache = new Dictionary<string, string>(StringComparer.Ordinal) { ["1"] = "" };
        string Resolve(string mpath)
        {
            if (cache.TryGetValue(mpath, out var known))
            {
                return known;
            }

            var dot = mpath.LastIndexOf('.');
            var name = byMPath.TryGetValue(mpath, out var node) ? node.Name : "?";
            var parent = dot < 0 ? "" : Resolve(mpath[..dot]);
            var path = parent.Length == 0 ? name : parent + "/" + name;
            cache[mpath] = path;
            return path;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            result.TryAdd(row.Uuid, Resolve(row.MPath));
        }

        return result;
    }

    private static List<(string Relative, long Size)> ListObjects(string folder)
    {
        var result = new List<(string, long)>();
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos("*", options))
            {
                if (entry is DirectoryInfo directory)
                {
                    if (directory.Name != ".minio.sys")
                    {
                        pending.Push(directory.FullName);
                    }
                }
                else if (entry is FileInfo file)
                {
                    result.Add((Path.GetRelativePath(folder, file.FullName).Replace('\\', '/'), file.Length));
                }
            }
        }

        return result;
    }

    private static string Size(long bytes) => bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
