using Cellar.Repository.Chunking;
using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Writing;

namespace Cellar.Repository.Archiving;

/// <summary>
/// Walks the sources and stores them as restic does: every directory becomes a tree blob written
/// after its children (bottom-up), files go through <see cref="FileSaver"/>, and files unchanged
/// since the parent snapshot keep their content list without being read. The walk runs ahead of
/// the readers only as far as their bounded queue allows.
/// </summary>
internal sealed class Archiver
{
    private readonly BlobWriter _writer;
    private readonly Polynomial _polynomial;
    private readonly Func<Id, CancellationToken, Task<Tree>> _loadTree;
    private readonly Action<BackupWarning> _warn;
    private readonly GoTime _startTime;
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
    public async Task<Id> ArchiveAsync(BackupRequest request, IReadOnlyList<BackupTarget> targets, Tree? parentRoot, CancellationToken cancellationToken)
    {
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
            rootTask = SaveDirectoryContentAsync(sources.Path, status, parentRoot, status.Device);
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

    private async Task<Id> SaveSourceLevelAsync(SourceTree level, Tree? parentTree)
    {
        var children = new List<Task<Node?>>();
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
                    children.Add(Task.FromResult<Node?>(node));
                    continue;
                }

                var job = new FileJob(node, child.Path, default, virtualFile, previous is null ? FileChange.New : FileChange.Changed);
                children.Add(await _saver!.EnqueueAsync(job).ConfigureAwait(false));
            }
            else if (child.IsTarget && _request.KeepParentNodes)
            {
                if (previous is null)
                {
                    Warn(new BackupWarning(child.Path.ToString(), "not in the snapshot whose nodes are kept; left out"));
                }

                children.Add(Task.FromResult(previous));
            }
            else if (child.IsTarget)
            {
                children.Add(await SaveEntryAsync(child.Path, name, previous, rootDevice: null).ConfigureAwait(false));
            }
            else
            {
                children.Add(SaveIntermediateAsync(child, previous));
            }
        }

        if (_request.KeepParentNodes && parentTree is not null)
        {
            // Nodes the kept snapshot has beside the sources stay, in restic's name order.
            children.AddRange(parentTree.Nodes.Where(n => !level.Children.ContainsKey(n.RawName)).Select(n => Task.FromResult<Node?>(n)));
            var nodes = await Task.WhenAll(children).ConfigureAwait(false);
            children = nodes.OfType<Node>().OrderBy(n => n.RawName, ByteComparer.Instance).Select(n => Task.FromResult<Node?>(n)).ToList();
        }

        return await SaveTreeAsync(children).ConfigureAwait(false);
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

    /// <summary>Starts saving one file-system entry; the task completes when it is stored.</summary>
    private async ValueTask<Task<Node?>> SaveEntryAsync(RawPath path, byte[] name, Node? previous, ulong? rootDevice)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        FileStatus status;
        try
        {
            status = Posix.Stat(path);
        }
        catch (IOException ex)
        {
            Statistics.Error();
            Warn(new BackupWarning(path.ToString(), ex.Message));
            return Task.FromResult<Node?>(null);
        }

        var node = NodeFactory.FromStatus(name, status);
        switch (status.Kind)
        {
            case FileKind.Regular:
                if (previous is not null && !_request.Force && NodeFactory.IsUnchanged(previous, node) && previous.Content!.All(id => _writer.Contains(new BlobHandle(id, BlobType.Data))))
                {
                    node.Content = previous.Content;
                    Statistics.File(FileChange.Unmodified, (long)node.Size);
                    return Task.FromResult<Node?>(node);
                }

                var job = new FileJob(node, path, status, null, previous is null ? FileChange.New : FileChange.Changed);
                return await _saver!.EnqueueAsync(job).ConfigureAwait(false);

            case FileKind.Directory:
                return SaveDirectoryNodeAsync(path, node, status, previous, rootDevice ?? status.Device);

            case FileKind.Symlink:
                try
                {
                    // readlink may update the link's access time: read first, then take the status
                    // that goes into the node, so the next backup sees the same metadata.
                    var target = Posix.ReadLink(path).ToArray();
                    node = NodeFactory.FromStatus(name, Posix.Stat(path));
                    node.RawLinkTarget = target;
                }
                catch (IOException ex)
                {
                    Statistics.Error();
                    Warn(new BackupWarning(path.ToString(), ex.Message));
                    return Task.FromResult<Node?>(null);
                }

                // Like restic, only regular files count in the files_* statistics.
                return Task.FromResult<Node?>(node);

            default:
                return Task.FromResult<Node?>(node);
        }
    }

    private async Task<Node?> SaveDirectoryNodeAsync(RawPath path, Node node, FileStatus status, Node? previous, ulong rootDevice)
    {
        Tree? parentTree = await LoadParentTreeAsync(previous).ConfigureAwait(false);
        node.Content = null;
        node.Subtree = await SaveDirectoryContentAsync(path, status, parentTree, rootDevice).ConfigureAwait(false);
        Statistics.Directory(previous is null ? FileChange.New : previous.Subtree == node.Subtree ? FileChange.Unmodified : FileChange.Changed);
        return node;
    }

    private async Task<Id> SaveDirectoryContentAsync(RawPath path, FileStatus status, Tree? parentTree, ulong rootDevice)
    {
        var children = new List<Task<Node?>>();
        if (_request.OneFileSystem && status.Device != rootDevice)
        {
            // A mount point: kept as an empty directory, like restic's --one-file-system.
            return await SaveTreeAsync(children).ConfigureAwait(false);
        }

        List<DirectoryEntry> entries;
        try
        {
            using var directory = OpenDirectory(path);
            entries = Posix.ReadDirectory(directory);
        }
        catch (IOException ex)
        {
            Statistics.Error();
            Warn(new BackupWarning(path.ToString(), $"could not list the directory: {ex.Message}"));
            return await SaveTreeAsync(children).ConfigureAwait(false);
        }

        entries.Sort(static (a, b) => a.Name.Span.SequenceCompareTo(b.Name.Span));
        foreach (var entry in entries)
        {
            var childPath = path.Combine(entry.Name);
            if (IsExcluded(childPath))
            {
                continue;
            }

            var name = entry.Name.ToArray();
            children.Add(await SaveEntryAsync(childPath, name, parentTree?.Find(name), rootDevice).ConfigureAwait(false));
        }

        return await SaveTreeAsync(children).ConfigureAwait(false);
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

    private bool IsExcluded(RawPath path)
    {
        if (_request.Excludes.Count == 0)
        {
            return false;
        }

        var components = path.Split().Select(p => p.ToString()).ToList();
        foreach (var pattern in _request.Excludes)
        {
            if (pattern.Matches(components))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<Tree?> LoadParentTreeAsync(Node? previous)
    {
        if (previous is not { Type: NodeType.Dir, Subtree: { } subtree })
        {
            return null;
        }

        try
        {
            return await _loadTree(subtree, _cancellationToken).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException ex)
        {
            Warn(new BackupWarning(previous.Name, $"the parent snapshot's tree cannot be read ({ex.Message}); all files below are read again"));
            return null;
        }
    }

    private async Task<Id> SaveTreeAsync(List<Task<Node?>> children)
    {
        var nodes = await Task.WhenAll(children).ConfigureAwait(false);
        var tree = new Tree();
        foreach (var node in nodes)
        {
            if (node is not null)
            {
                tree.Nodes.Add(node);
            }
        }

        return await _writer.SaveTreeAsync(tree.ToBlob(), _cancellationToken).ConfigureAwait(false);
    }
}
