using Cellar.Repository.Chunking;
using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Writing;

namespace Cellar.Repository.Archiving;

/// <summary>
/// Walks the sources and stores them as restic does: every directory becomes a tree blob written
/// after its children (bottom-up), files go through <see cref="FileSaver"/>, and files unchanged
/// since the parent snapshot keep their content list without being read.
/// Memory is bounded by the depth of the tree, not its size: a directory is walked to its end
/// before its next sibling (two walkers at most, one per core), the walk runs ahead of the readers
/// only as far as their bounded queue allows, and a directory's nodes and the parent snapshot's
/// matching tree are dropped as soon as its tree is stored. A directory whose entries all equal
/// the parent's keeps the parent's tree id without being serialised again.
/// </summary>
internal sealed class Archiver
{
    private readonly BlobWriter _writer;
    private readonly Polynomial _polynomial;
    private readonly Func<Id, CancellationToken, Task<Tree>> _loadTree;
    private readonly Action<BackupWarning> _warn;
    private readonly GoTime _startTime;
    private readonly SemaphoreSlim _walkers = new(1, 1);
    private BackupRequest _request = new();
    private FileSaver? _saver;
    private CancellationToken _cancellationToken;

    public Archiver(BlobWriter writer, Polynomial polynomial, Func<Id, CancellationToken, Task<Tree>> loadTree, Action<BackupWarning> warn, GoTime startTime)
    {
        _writer = writer;
        _polynomial = polynomial;
        _loadTree = loadTree;
        _warn = warn;
        _startTime = startTime;
    }

    public BackupStatistics Statistics { get; } = new();

    /// <summary>Stores everything the request names and returns the root tree's id.</summary>
    public async Task<Id> ArchiveAsync(BackupRequest request, IReadOnlyList<BackupTarget> targets, Id? parentRootId, Tree? parentTree, CancellationToken cancellationToken)
    {
        var parentRoot = parentRootId is { } rootId && parentTree is not null ? new ParentTree(rootId, parentTree) : null;
        _request = request;
        _cancellationToken = cancellationToken;
        var sources = SourceTree.Build(targets, request.VirtualFiles);
        await using var saver = new FileSaver(_writer, _polynomial, Statistics, Warn, cancellationToken);
        _saver = saver;
        Task<Id> rootTask;
        if (sources.IsTarget)
        {
            // Backing up "/" itself: the root tree is the listing of /.
            var status = Posix.Stat(sources.Path);
            rootTask = await SaveDirectoryContentAsync(sources.Path, status, parentRoot, status.Device).ConfigureAwait(false);
        }
        else
        {
            rootTask = SaveSourceLevelAsync(sources, parentRoot);
        }

        // Worker failures (a refused pack upload) surface through the file tasks the trees wait for.
        var root = await rootTask.ConfigureAwait(false);
        await saver.CompleteAsync().ConfigureAwait(false);
        return root;
    }

    private void Warn(BackupWarning warning) => _warn(warning);

    private async Task<Id> SaveSourceLevelAsync(SourceTree level, ParentTree? parentTree)
    {
        var children = new List<ValueTask<Node?>>();
        foreach (var (name, child) in level.Children)
        {
            var previous = parentTree?.Find(name);
            if (child.Virtual is { } virtualFile)
            {
                var node = NodeFactory.SyntheticFile(name, virtualFile.Permissions, virtualFile.ModifiedTime is { } t ? GoTime.FromDateTimeOffset(t) : _startTime);
                if (virtualFile.KnownContent is { } known && known.All(id => _writer.Contains(new BlobHandle(id, BlobType.Data))))
                {
                    node.Content = [.. known];
                    node.Size = (ulong)virtualFile.Size;
                    Statistics.File(FileChange.Unmodified, virtualFile.Size);
                    children.Add(new ValueTask<Node?>(node));
                    continue;
                }

                var job = new FileJob(node, child.Path, default, virtualFile, previous is null ? FileChange.New : FileChange.Changed);
                children.Add(new ValueTask<Node?>(await _saver!.EnqueueAsync(job).ConfigureAwait(false)));
            }
            else if (child.IsTarget && _request.KeepParentNodes)
            {
                if (previous is null)
                {
                    Warn(new BackupWarning(child.Path.ToString(), "not in the snapshot whose nodes are kept; left out"));
                }

                children.Add(new ValueTask<Node?>(previous));
            }
            else if (child.IsTarget)
            {
                children.Add(await SaveEntryAsync(null, child.Path, child.Path, name, previous, rootDevice: null).ConfigureAwait(false));
            }
            else
            {
                children.Add(new ValueTask<Node?>(SaveIntermediateAsync(child, previous)));
            }
        }

        if (_request.KeepParentNodes && parentTree is not null)
        {
            // Nodes the kept snapshot has beside the sources stay, in restic's name order.
            children.AddRange(parentTree.Nodes.Where(n => !level.Children.ContainsKey(n.RawName)).Select(n => new ValueTask<Node?>(n)));
            var nodes = new List<Node>();
            foreach (var child in children)
            {
                if (await child.ConfigureAwait(false) is { } node)
                {
                    nodes.Add(node);
                }
            }

            children = nodes.OrderBy(n => n.RawName, ByteComparer.Instance).Select(n => new ValueTask<Node?>(n)).ToList();
        }

        return await SaveTreeAsync([.. children], parentTree).ConfigureAwait(false);
    }

    private async Task<Node?> SaveIntermediateAsync(SourceTree level, Node? previous)
    {
        Node node;
        if (_request.KeepParentNodes && previous is { Type: NodeType.Dir })
        {
            node = previous.Clone();
        }
        else if (Posix.TryStat(level.Path, out var status) && status.IsDirectory)
        {
            node = NodeFactory.FromStatus(level.Name, status);
        }
        else
        {
            node = NodeFactory.SyntheticDirectory(level.Name, _startTime);
        }

        var parentTree = await LoadParentTreeAsync(previous).ConfigureAwait(false);
        node.Content = null;
        node.Subtree = await SaveSourceLevelAsync(level, parentTree).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// Saves one file-system entry. The outer task completes when the entry is walked (for a
    /// directory: every entry below it listed and queued), the inner one when it is stored.
    /// An unchanged file completes at once, without allocating: when its metadata are equal too,
    /// the parent snapshot's node object itself is returned.
    /// </summary>
    /// <param name="directory">The open parent directory, or null when <paramref name="name"/> is a full path.</param>
    /// <param name="directoryPath">The parent directory's path (or the entry's own when <paramref name="directory"/> is null).</param>
    /// <param name="name">The name in <paramref name="directory"/> (or the full path).</param>
    /// <param name="nodeName">The name the node gets in the snapshot.</param>
    /// <param name="previous">The parent snapshot's node of that name.</param>
    /// <param name="rootDevice">The device of the backup target (for --one-file-system).</param>
    private async ValueTask<ValueTask<Node?>> SaveEntryAsync(FileDescriptor? directory, RawPath directoryPath, RawPath name, byte[] nodeName, Node? previous, ulong? rootDevice)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        FileStatus status;
        var statResult = directory is null
            ? Posix.TryStatAt(FileDescriptor.CurrentDirectory, name, followSymlinks: false, out status)
            : Posix.TryStatAt(directory, name, followSymlinks: false, out status);
        if (statResult != 0)
        {
            var path = directory is null ? directoryPath : directoryPath.Combine(name);
            Statistics.Error();
            Warn(new BackupWarning(path.ToString(), new PosixException("statx", statResult, path).Message));
            return new ValueTask<Node?>((Node?)null);
        }

        if (status.Kind == FileKind.Regular && previous is not null && !_request.Force
            && NodeFactory.IsUnchanged(previous, status) && AllStored(previous.Content!))
        {
            Statistics.File(FileChange.Unmodified, status.Size);
            if (NodeFactory.HasSameMetadata(previous, status))
            {
                return new ValueTask<Node?>(previous);
            }

            var unchanged = NodeFactory.FromStatus(nodeName, status);
            unchanged.Content = previous.Content;
            return new ValueTask<Node?>(unchanged);
        }

        var childPath = directory is null ? directoryPath : directoryPath.Combine(name);
        var node = NodeFactory.FromStatus(nodeName, status);
        switch (status.Kind)
        {
            case FileKind.Regular:
                var job = new FileJob(node, childPath, status, null, previous is null ? FileChange.New : FileChange.Changed);
                return new ValueTask<Node?>(await _saver!.EnqueueAsync(job).ConfigureAwait(false));

            case FileKind.Directory:
                var device = rootDevice ?? status.Device;
                if (_walkers.Wait(0))
                {
                    // A second walker lists this directory while this one goes on with the siblings.
                    var walk = Task.Run(async () =>
                    {
                        try
                        {
                            return await SaveDirectoryNodeAsync(childPath, node, status, previous, device).ConfigureAwait(false);
                        }
                        finally
                        {
                            _walkers.Release();
                        }
                    });
                    return new ValueTask<Node?>(walk.Unwrap());
                }

                return new ValueTask<Node?>(await SaveDirectoryNodeAsync(childPath, node, status, previous, device).ConfigureAwait(false));

            case FileKind.Symlink:
                try
                {
                    // readlink may update the link's access time: read first, then take the status
                    // that goes into the node, so the next backup sees the same metadata.
                    var target = Posix.ReadLink(childPath).ToArray();
                    node = NodeFactory.FromStatus(nodeName, Posix.Stat(childPath));
                    node.RawLinkTarget = target;
                }
                catch (IOException ex)
                {
                    Statistics.Error();
                    Warn(new BackupWarning(childPath.ToString(), ex.Message));
                    return new ValueTask<Node?>((Node?)null);
                }

                // Like restic, only regular files count in the files_* statistics.
                return new ValueTask<Node?>(node);

            default:
                return new ValueTask<Node?>(node);
        }
    }

    private bool AllStored(List<Id> content)
    {
        foreach (var id in content)
        {
            if (!_writer.Contains(new BlobHandle(id, BlobType.Data)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks a directory (loading the parent's matching tree); the task it returns completes when its tree is stored.</summary>
    private async Task<Task<Node?>> SaveDirectoryNodeAsync(RawPath path, Node node, FileStatus status, Node? previous, ulong rootDevice)
    {
        var parentTree = await LoadParentTreeAsync(previous).ConfigureAwait(false);
        var subtree = await SaveDirectoryContentAsync(path, status, parentTree, rootDevice).ConfigureAwait(false);
        return FinishDirectoryNodeAsync(node, previous, subtree);
    }

    private async Task<Node?> FinishDirectoryNodeAsync(Node node, Node? previous, Task<Id> subtree)
    {
        var id = await subtree.ConfigureAwait(false);
        Statistics.Directory(previous is null ? FileChange.New : previous.Subtree == id ? FileChange.Unmodified : FileChange.Changed);
        if (previous is { Type: NodeType.Dir, Content: null } && previous.Subtree == id && node.Subtree is null
            && previous.Mode == node.Mode && previous.ModTime == node.ModTime && previous.AccessTime == node.AccessTime
            && previous.ChangeTime == node.ChangeTime && previous.Uid == node.Uid && previous.Gid == node.Gid
            && string.Equals(previous.User, node.User, StringComparison.Ordinal) && string.Equals(previous.Group, node.Group, StringComparison.Ordinal)
            && previous.Inode == node.Inode && previous.DeviceId == node.DeviceId && previous.Links == node.Links && previous.Size == 0
            && previous.Device == 0 && previous.RawLinkTarget is null && previous.ExtendedAttributes is null
            && previous.GenericAttributes is null && previous.Error is null && previous.RawName.AsSpan().SequenceEqual(node.RawName))
        {
            return previous;
        }

        node.Content = null;
        node.Subtree = id;
        return node;
    }

    /// <summary>
    /// Lists a directory and queues its entries, each matched with the parent tree's node of the
    /// same name (both sorted by name, so one pass); returns when the walk is done, with the task
    /// of the directory's tree id.
    /// </summary>
    private async Task<Task<Id>> SaveDirectoryContentAsync(RawPath path, FileStatus status, ParentTree? parentTree, ulong rootDevice)
    {
        if (_request.OneFileSystem && status.Device != rootDevice)
        {
            // A mount point: kept as an empty directory, like restic's --one-file-system.
            return SaveTreeAsync([], null);
        }

        FileDescriptor directory;
        List<DirectoryEntry> entries;
        try
        {
            directory = OpenDirectory(path);
        }
        catch (IOException ex)
        {
            Statistics.Error();
            Warn(new BackupWarning(path.ToString(), $"could not list the directory: {ex.Message}"));
            return SaveTreeAsync([], null);
        }

        using (directory)
        {
            try
            {
                entries = Posix.ReadDirectory(directory);
            }
            catch (IOException ex)
            {
                Statistics.Error();
                Warn(new BackupWarning(path.ToString(), $"could not list the directory: {ex.Message}"));
                return SaveTreeAsync([], null);
            }

            entries.Sort(static (a, b) => a.Name.Span.SequenceCompareTo(b.Name.Span));
            var excludes = _request.Excludes.Count > 0 ? new ExcludeMatcher(_request.Excludes, path) : null;
            var children = new ValueTask<Node?>[entries.Count];
            var count = 0;
            var cursor = 0;
            foreach (var entry in entries)
            {
                if (excludes is not null && excludes.IsExcluded(entry.Name))
                {
                    continue;
                }

                var previous = parentTree?.Match(entry.Name.Span, ref cursor);
                children[count++] = await SaveEntryAsync(directory, path, entry.Name, entry.Name.Bytes, previous, rootDevice).ConfigureAwait(false);
            }

            return SaveTreeAsync(count == children.Length ? children : children[..count], parentTree);
        }
    }
    /// <summary>Opens a directory without touching its access time when allowed (restic's walk does touch it).</summary>
    private static FileDescriptor OpenDirectory(RawPath path)
    {
        try
        {
            return Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.NoAccessTime);
        }
        catch (PosixException ex) when (ex.Errno == Errno.EPERM)
        {
            return Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
        }
    }

    private async Task<ParentTree?> LoadParentTreeAsync(Node? previous)
    {
        if (previous is not { Type: NodeType.Dir, Subtree: { } subtree })
        {
            return null;
        }

        try
        {
            return new ParentTree(subtree, await _loadTree(subtree, _cancellationToken).ConfigureAwait(false));
        }
        catch (RepositoryCorruptException ex)
        {
            Warn(new BackupWarning(previous.Name, $"the parent snapshot's tree cannot be read ({ex.Message}); all files below are read again"));
            return null;
        }
    }

    /// <summary>
    /// Waits for a directory's entries and stores its tree, unless every node is the parent tree's
    /// own node in the same order: then the tree would serialise to the parent's bytes, and its id
    /// is reused without serialising or hashing.
    /// </summary>
    private async Task<Id> SaveTreeAsync(ValueTask<Node?>[] children, ParentTree? parentTree)
    {
        var tree = new Tree();
        var reused = parentTree is not null;
        foreach (var child in children)
        {
            if (await child.ConfigureAwait(false) is { } node)
            {
                reused = reused && tree.Nodes.Count < parentTree!.Nodes.Count && ReferenceEquals(parentTree.Nodes[tree.Nodes.Count], node);
                tree.Nodes.Add(node);
            }
        }

        if (reused && parentTree!.Sorted && tree.Nodes.Count == parentTree.Nodes.Count && _writer.Contains(new BlobHandle(parentTree.Id, BlobType.Tree)))
        {
            return parentTree.Id;
        }

        return await _writer.SaveTreeAsync(tree.ToBlob(), _cancellationToken).ConfigureAwait(false);
    }
}
