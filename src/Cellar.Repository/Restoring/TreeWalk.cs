using System.Threading.Channels;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Walks a snapshot's trees depth first and builds the structure in the target: folders (created
/// on first need, so includes make only folders that hold something), symlinks, FIFOs, device
/// nodes and empty files at once; files with content are planned by the blobs they need and handed
/// on in <see cref="RestoreBatch"/>es of bounded size, as are hard links and the folders it leaves.
/// Only the trees along the current path (and a bounded window of prefetched subtrees) are held.
/// <para>
/// Safety: every entry is created relative to an open descriptor of its folder, folders are
/// entered with O_NOFOLLOW|O_DIRECTORY, and names that are not plain single components are refused.
/// </para>
/// </summary>
internal sealed class TreeWalk
{
    private readonly ResticRepository _repository;
    private readonly RestoreOptions _options;
    private readonly RestoreTally _tally;
    private readonly TreePrefetcher _trees;
    private readonly ChannelWriter<RestoreBatch> _output;
    private readonly Dictionary<(ulong Device, ulong Inode), PlannedFile> _hardLinks = [];
    private RestoreBatch _batch = new();

    public TreeWalk(ResticRepository repository, RestoreOptions options, RestoreTally tally, int concurrency, ChannelWriter<RestoreBatch> output)
    {
        _repository = repository;
        _options = options;
        _tally = tally;
        _output = output;
        _trees = new TreePrefetcher(repository, concurrency);
    }

    /// <summary>Walks the tree <paramref name="treeId"/> into the target folder <paramref name="root"/>; the last batch is handed on before it returns.</summary>
    public async Task RunAsync(Id treeId, FileDescriptor root, CancellationToken cancellationToken)
    {
        var top = new DirectoryContext(null, RawPath.Empty, "", null)
        {
            Fd = new FileDescriptor(root.Value, ownsHandle: false),
            Planned = new PlannedDirectory(null, RawPath.Empty, "", null),
        };
        try
        {
            await WalkAsync(treeId, null, top, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            top.Fd.Dispose();
            await _trees.DrainAsync().ConfigureAwait(false);
        }

        await _output.WriteAsync(_batch, cancellationToken).ConfigureAwait(false);
        _batch = new RestoreBatch();
    }

    /// <summary>A folder while its tree is walked; created on first need.</summary>
    private sealed class DirectoryContext(DirectoryContext? parent, RawPath name, string location, Node? node)
    {
        public DirectoryContext? Parent { get; } = parent;

        public RawPath Name { get; } = name;

        public string Location { get; } = location;

        public Node? Node { get; } = node;

        public FileDescriptor? Fd { get; set; }

        /// <summary>Set once the folder exists in the target.</summary>
        public PlannedDirectory? Planned { get; set; }

        public bool Failed { get; set; }
    }

    private async Task WalkAsync(Id treeId, Task<Tree>? prefetched, DirectoryContext directory, CancellationToken cancellationToken)
    {
        Tree tree;
        try
        {
            tree = prefetched is not null
                ? await prefetched.ConfigureAwait(false)
                : await _repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RepositoryCorruptException or IOException)
        {
            _tally.Error(Show(directory.Location), $"its listing (tree {treeId.ToShortString()}) cannot be read, nothing below it is restored: {ex.Message}");
            return;
        }

        var subtrees = _trees.Prefetch(tree, node => WillEnter(directory, node), cancellationToken);
        var seen = new HashSet<RawPath>();
        for (var n = 0; n < tree.Nodes.Count; n++)
        {
            var node = tree.Nodes[n];
            cancellationToken.ThrowIfCancellationRequested();
            var name = new RawPath(node.RawName);
            var location = directory.Location + "/" + name;
            if (!name.IsSafeName)
            {
                _tally.Error(location, $"refused: the name '{name}' is not a plain file name (empty, '.', '..', or holding '/' or NUL); the repository is damaged or hostile");
                continue;
            }

            if (!seen.Add(name))
            {
                _tally.Error(location, "refused: a second entry with the same name in one folder; the repository is damaged or hostile");
                continue;
            }

            if (node.Type == NodeType.Socket)
            {
                continue; // sockets cannot be restored (as restic)
            }

            var (selected, enter) = _options.Filter.Select(location, node.IsDirectory);
            if (node.IsDirectory)
            {
                if (node.Subtree is not { } subtree)
                {
                    _tally.Error(location, "refused: a folder without a subtree; the repository is damaged");
                    continue;
                }

                if (!selected && !enter)
                {
                    continue;
                }

                // Like restic, a folder entered only for what is below it still gets its metadata once something was restored in it.
                var child = new DirectoryContext(directory, name, location, node);
                try
                {
                    if (selected && !Ensure(child))
                    {
                        continue;
                    }

                    if (enter)
                    {
                        await WalkAsync(subtree, _trees.Take(subtrees, n), child, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    child.Fd?.Dispose();
                    child.Fd = null;
                }

                if (child.Planned is { } planned)
                {
                    _batch.ClosedDirectories.Add(planned);
                    await HandOnIfFullAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (!selected || !Ensure(directory))
            {
                continue;
            }

            try
            {
                if (_options.Overwrite != OverwriteMode.Always && Keeps(directory.Fd!, name, node))
                {
                    continue;
                }

                CreateEntry(directory, name, location, node);
            }
            catch (PosixException ex)
            {
                _tally.Error(location, ex.Message);
            }

            await HandOnIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands the batch on once it holds enough files or blob writes (waits while the content is that far behind).</summary>
    private async ValueTask HandOnIfFullAsync(CancellationToken cancellationToken)
    {
        if (_batch.Files >= _options.FilesPerBatch || _batch.Writes >= 4 * _options.FilesPerBatch)
        {
            await _output.WriteAsync(_batch, cancellationToken).ConfigureAwait(false);
            _batch = new RestoreBatch();
        }
    }

    /// <summary>
    /// Whether <see cref="RestoreOptions.Overwrite"/> leaves the entry already at this place as it is
    /// (counted as unchanged; with if-changed its metadata is still set from the snapshot, as restic does).
    /// </summary>
    private bool Keeps(FileDescriptor directory, RawPath name, Node node)
    {
        FileStatus? existing;
        try
        {
            existing = Posix.StatAt(directory, name);
        }
        catch (PosixException ex) when (ex.IsNotFound)
        {
            existing = null;
        }

        if (OverwritePolicy.Decide(_options.Overwrite, node, existing) != OverwritePolicy.Action.Unchanged)
        {
            return false;
        }

        if (_options.Overwrite == OverwriteMode.IfChanged && existing is { IsRegular: true })
        {
            using var fd = Posix.OpenAt(directory, name, OpenFlags.ReadOnly | OpenFlags.NoFollow);
            NodeMetadata.Apply(fd, node, _options.RestoreOwners);
        }

        _tally.AddUnchanged();
        return true;
    }

    /// <summary>Whether the walk will go into this folder node (as decided in <see cref="WalkAsync"/>), so its tree is worth loading ahead.</summary>
    private bool WillEnter(DirectoryContext directory, Node node)
    {
        var name = new RawPath(node.RawName);
        return name.IsSafeName && _options.Filter.Select(directory.Location + "/" + name, isDirectory: true).EnterChildren;
    }

    /// <summary>Creates (or enters) a folder and its parents, never following a symlink; false (error reported) when it cannot.</summary>
    private bool Ensure(DirectoryContext directory)
    {
        if (directory.Fd is not null)
        {
            return true;
        }

        if (directory.Failed || directory.Parent is null || !Ensure(directory.Parent))
        {
            return false;
        }

        try
        {
            try
            {
                Posix.MakeDirectoryAt(directory.Parent.Fd!, directory.Name, FileModes.PrivateDirectory);
            }
            catch (PosixException ex) when (ex.AlreadyExists)
            {
            }

            directory.Fd = Posix.OpenDirectoryAt(directory.Parent.Fd!, directory.Name);
        }
        catch (PosixException ex)
        {
            directory.Failed = true;
            var why = ex.Errno is Errno.ELOOP or Errno.ENOTDIR
                ? "refused: something that is not a folder (a symlink or file) is in its place, and following it could lead outside the target"
                : ex.Message;
            _tally.Error(directory.Location, why);
            return false;
        }

        directory.Planned = new PlannedDirectory(directory.Parent.Planned, directory.Name, directory.Location, directory.Node);
        if (directory.Node is not null)
        {
            _tally.AddDirectory();
        }

        return true;
    }

    private void CreateEntry(DirectoryContext directory, RawPath name, string location, Node node)
    {
        var dir = directory.Fd!;
        switch (node.Type)
        {
            case NodeType.File:
                PlanFile(directory.Planned!, dir, name, location, node);
                break;
            case NodeType.Symlink:
                FileWriter.RemoveExisting(dir, name);
                Posix.SymlinkAt(new RawPath(node.RawLinkTarget ?? []), dir, name);
                NodeMetadata.ApplyAt(dir, name, node, _options.RestoreOwners);
                _tally.AddOther();
                break;
            case NodeType.Fifo:
            case NodeType.Dev:
            case NodeType.CharDev:
                FileWriter.RemoveExisting(dir, name);
                if (node.Type == NodeType.Fifo)
                {
                    Posix.MakeFifoAt(dir, name, FileModes.PrivateFile);
                }
                else
                {
                    var type = node.Type == NodeType.CharDev ? FileModes.CharDevice : FileModes.BlockDevice;
                    Posix.MakeNodeAt(dir, name, type | FileModes.PrivateFile, node.Device);
                }

                NodeMetadata.ApplyAt(dir, name, node, _options.RestoreOwners);
                _tally.AddOther();
                break;
            default:
                _tally.Error(location, $"not restored: entries of type '{node.Type}' cannot be restored");
                break;
        }
    }

    private void PlanFile(PlannedDirectory directory, FileDescriptor dir, RawPath name, string location, Node node)
    {
        if (node.Links > 1 && _hardLinks.TryGetValue((node.DeviceId, node.Inode), out var leader))
        {
            // Linked once the leader's content is in place (files with content are created by their first write).
            _batch.Links.Add(new PendingLink(leader, directory, name, location));
            return;
        }

        var file = new PlannedFile(directory, name, location, node);
        var content = node.Content ?? [];
        var writes = new List<(Index.PackedBlob Blob, long Offset)>(content.Count);
        long size = 0;
        string? missing = null;
        foreach (var id in content)
        {
            if (!_repository.Index.TryLookup(id, BlobType.Data, out var packed))
            {
                missing ??= $"data blob {id} is not in the repository's index";
                continue;
            }

            writes.Add((packed, size));
            size += packed.PlaintextLength;
        }

        file.Size = size;
        _tally.AddFile();
        _tally.Progress.AddPlanned(1, size);
        if (node.Links > 1)
        {
            _hardLinks[(node.DeviceId, node.Inode)] = file;
        }

        if (missing is not null && file.MarkFailed())
        {
            _tally.Error(location, $"content lost: {missing}");
        }

        if (writes.Count == 0)
        {
            using var fd = FileWriter.CreateFile(dir, file);
            NodeMetadata.Apply(fd, node, _options.RestoreOwners);
            _tally.Progress.AddDone(1, 0);
            return;
        }

        file.SetRemaining(writes.Count);
        _batch.Files++;
        _batch.Writes += writes.Count;
        foreach (var (blob, offset) in writes)
        {
            if (!_batch.Blobs.TryGetValue(blob.Id, out var target))
            {
                _batch.Blobs[blob.Id] = target = new BlobTarget(blob);
            }

            target.Writes.Add((file, offset));
        }
    }

    private static string Show(string location) => location.Length == 0 ? "/" : location;
}
