using System.Collections.Concurrent;
using System.Diagnostics;
using Cellar.Repository.Index;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Restores a tree of a repository into a target folder, exactly: content, all 12 mode bits,
/// times to the nanosecond, owners (as root), symlinks with raw targets, hard links as hard links,
/// FIFOs, device nodes (as root), empty folders, raw (non-UTF-8) names, sparse files with holes.
/// <para>
/// Safety: every entry is created relative to an open descriptor of its folder, folders are
/// entered with O_NOFOLLOW|O_DIRECTORY, and names that are not plain single components are
/// refused, so a hostile or damaged repository cannot make it write outside the target.
/// </para>
/// <para>
/// Speed: first the folder structure is built (files created at their final size, so unwritten
/// parts stay holes); then the needed blobs are grouped by pack, each pack range is read once,
/// each blob decoded (and hash-checked) once and written to every place that needs it, several
/// packs at a time; last, folder metadata is applied deepest first.
/// </para>
/// </summary>
public sealed class Restorer
{
    private readonly Repository _repository;
    private readonly RestoreOptions _options;
    private readonly ConcurrentQueue<RestoreError> _errors = new();
    private readonly List<PlannedDirectory> _directories = [];
    private readonly List<PlannedFile> _files = [];
    private readonly List<int> _directoriesDeepestFirst = [];
    private readonly Dictionary<Id, BlobTarget> _blobs = [];
    private readonly Dictionary<(ulong Device, ulong Inode), PlannedFile> _hardLinks = [];
    private readonly List<(PlannedFile Leader, int Directory, RawPath Name, string Location)> _pendingLinks = [];
    private readonly TreePrefetcher _trees;
    private readonly int _workers;
    private FileDescriptor? _root;
    private DescriptorCache? _directoryHandles;
    private DescriptorCache? _fileHandles;
    private long _otherEntries;
    private long _unchanged;
    private long _bytes;
    private long _readTicks;
    private long _decodeTicks;
    private long _writeTicks;

    public Restorer(Repository repository, RestoreOptions? options = null)
    {
        _repository = repository;
        _options = options ?? new RestoreOptions();
        _workers = _options.Parallelism is { } parallelism
            ? Math.Max(1, parallelism)
            : BackendStack.Unwrap(repository.Backend) is LocalBackend
                ? Math.Max(2, Environment.ProcessorCount)
                : Math.Max(4, 2 * Environment.ProcessorCount);
        _trees = new TreePrefetcher(repository, _workers);
    }

    /// <summary>Restores the tree <paramref name="treeId"/> (a snapshot's root or any subtree) into <paramref name="target"/>.</summary>
    public async Task<RestoreResult> RestoreAsync(Id treeId, string target, CancellationToken cancellationToken)
    {
        Posix.EnsureSupported();
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(target);
        _root = Posix.Open(RawPath.FromString(target), OpenFlags.ReadOnly | OpenFlags.Directory);
        _directoryHandles = new DescriptorCache(64, OpenDirectory);
        _fileHandles = new DescriptorCache(128, OpenFile);
        TimeSpan structureTime = default, contentTime = default;
        try
        {
            var top = new DirectoryContext(null, RawPath.Empty, "", null) { Fd = _root, Index = -1 };
            try
            {
                await WalkAsync(treeId, null, top, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await _trees.DrainAsync().ConfigureAwait(false);
            }

            structureTime = stopwatch.Elapsed;
            await WriteContentAsync(cancellationToken).ConfigureAwait(false);
            CreateHardLinks();
            contentTime = stopwatch.Elapsed - structureTime;
            ApplyDirectoryMetadata();
        }
        finally
        {
            _fileHandles.Dispose();
            _directoryHandles.Dispose();
            _root.Dispose();
        }

        return new RestoreResult
        {
            Files = _files.Count,
            Directories = _directories.Count(d => d.Node is not null),
            OtherEntries = _otherEntries,
            Unchanged = _unchanged,
            Bytes = _bytes,
            Duration = stopwatch.Elapsed,
            StructureTime = structureTime,
            ContentTime = contentTime,
            ReadTime = TimeSpan.FromTicks(Stopwatch.GetElapsedTime(0, _readTicks).Ticks),
            DecodeTime = TimeSpan.FromTicks(Stopwatch.GetElapsedTime(0, _decodeTicks).Ticks),
            WriteTime = TimeSpan.FromTicks(Stopwatch.GetElapsedTime(0, _writeTicks).Ticks),
            Errors = _errors.ToList(),
        };
    }

    // ---------------- phase 1: structure ----------------

    /// <summary>A folder while its tree is walked; created on first need (so includes make only folders that hold something).</summary>
    private sealed class DirectoryContext(DirectoryContext? parent, RawPath name, string location, Node? node)
    {
        public DirectoryContext? Parent { get; } = parent;

        public RawPath Name { get; } = name;

        public string Location { get; } = location;

        public Node? Node { get; } = node;

        public FileDescriptor? Fd { get; set; }

        public int Index { get; set; } = int.MinValue;

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
            Error(Show(directory.Location), $"its listing (tree {treeId.ToShortString()}) cannot be read, nothing below it is restored: {ex.Message}");
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
                Error(location, $"refused: the name '{name}' is not a plain file name (empty, '.', '..', or holding '/' or NUL); the repository is damaged or hostile");
                continue;
            }

            if (!seen.Add(name))
            {
                Error(location, "refused: a second entry with the same name in one folder; the repository is damaged or hostile");
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
                    Error(location, "refused: a folder without a subtree; the repository is damaged");
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

                if (child.Index >= 0)
                {
                    _directoriesDeepestFirst.Add(child.Index);
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
                Error(location, ex.Message);
            }
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
            ApplyMetadata(fd, node);
        }

        Interlocked.Increment(ref _unchanged);
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
                Posix.MakeDirectoryAt(directory.Parent.Fd!, directory.Name, 0x1C0);
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
            Error(directory.Location, why);
            return false;
        }

        directory.Index = _directories.Count;
        _directories.Add(new PlannedDirectory(directory.Index, directory.Parent.Index, directory.Name, directory.Location, directory.Node));
        return true;
    }

    private void CreateEntry(DirectoryContext directory, RawPath name, string location, Node node)
    {
        var dir = directory.Fd!;
        switch (node.Type)
        {
            case NodeType.File:
                CreateFile(directory, name, location, node);
                break;
            case NodeType.Symlink:
                RemoveExisting(dir, name);
                Posix.SymlinkAt(new RawPath(node.RawLinkTarget ?? []), dir, name);
                if (_options.RestoreOwners)
                {
                    Posix.ChownAt(dir, name, node.Uid, node.Gid);
                }

                Posix.SetTimesAt(dir, name, Time(node.AccessTime), Time(node.ModTime));
                _otherEntries++;
                break;
            case NodeType.Fifo:
            case NodeType.Dev:
            case NodeType.CharDev:
                RemoveExisting(dir, name);
                if (node.Type == NodeType.Fifo)
                {
                    Posix.MakeFifoAt(dir, name, 0x180);
                }
                else
                {
                    var type = node.Type == NodeType.CharDev ? FileModes.CharDevice : FileModes.BlockDevice;
                    Posix.MakeNodeAt(dir, name, type | 0x180, node.Device);
                }

                if (_options.RestoreOwners)
                {
                    Posix.ChownAt(dir, name, node.Uid, node.Gid);
                }

                Posix.ChmodAt(dir, name, GoFileMode.ToPosixPermissions(node.Mode));
                Posix.SetTimesAt(dir, name, Time(node.AccessTime), Time(node.ModTime));
                _otherEntries++;
                break;
            default:
                Error(location, $"not restored: entries of type '{node.Type}' cannot be restored");
                break;
        }
    }

    private void CreateFile(DirectoryContext directory, RawPath name, string location, Node node)
    {
        var dir = directory.Fd!;
        if (node.Links > 1 && _hardLinks.TryGetValue((node.DeviceId, node.Inode), out var leader))
        {
            // Linked once the leader's content is in place (files with content are created by their first write).
            _pendingLinks.Add((leader, directory.Index, name, location));
            return;
        }

        var file = new PlannedFile(_files.Count, directory.Index, name, location, node);
        var content = node.Content ?? [];
        var writes = new List<(PackedBlob Blob, long Offset)>(content.Count);
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
        _files.Add(file);
        _options.Progress.AddPlanned(1, size);
        if (node.Links > 1)
        {
            _hardLinks[(node.DeviceId, node.Inode)] = file;
        }

        if (missing is not null)
        {
            FailFile(file, $"content lost: {missing}");
        }

        if (writes.Count == 0)
        {
            using var fd = CreateFileNow(dir, file);
            ApplyMetadata(fd, node);
            _options.Progress.AddDone(1, 0);
            return;
        }

        file.SetRemaining(writes.Count);
        foreach (var (blob, offset) in writes)
        {
            if (!_blobs.TryGetValue(blob.Id, out var target))
            {
                _blobs[blob.Id] = target = new BlobTarget(blob);
            }

            target.Writes.Add((file, offset));
        }
    }

    /// <summary>Creates a regular file at its final size (the rest of it stays a hole until written); replaces what is in the way.</summary>
    private static FileDescriptor CreateFileNow(FileDescriptor directory, PlannedFile file)
    {
        RemoveExisting(directory, file.Name);
        var fd = Posix.OpenAt(directory, file.Name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, 0x180);
        try
        {
            if (file.Size > 0)
            {
                Posix.Truncate(fd, file.Size);
            }

            file.Inode = Posix.Stat(fd).Inode;
            file.Created = true;
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private void CreateHardLinks()
    {
        foreach (var (leader, directory, name, location) in _pendingLinks)
        {
            try
            {
                using var leaderDirectory = _directoryHandles!.Rent(leader.Directory);
                using var linkDirectory = _directoryHandles.Rent(directory);
                RemoveExisting(linkDirectory.Fd, name);
                Posix.LinkAt(leaderDirectory.Fd, leader.Name, linkDirectory.Fd, name);
                _otherEntries++;
            }
            catch (PosixException ex)
            {
                Error(location, ex.Message);
            }
        }
    }

    /// <summary>Removes what is in the way of a new entry (as restic overwrites); a folder in the way is an error.</summary>
    private static void RemoveExisting(FileDescriptor directory, RawPath name)
    {
        try
        {
            Posix.UnlinkAt(directory, name);
        }
        catch (PosixException ex) when (ex.IsNotFound)
        {
        }
        catch (PosixException ex) when (ex.Errno is Errno.EISDIR or Errno.EPERM)
        {
            throw new PosixException("unlinkat (a folder is in the way)", ex.Errno, name);
        }
    }

    // ---------------- phase 2: content, pack by pack ----------------

    /// <summary>
    /// Pack ranges are handed out in pack order to a fixed set of workers; each worker reads a range
    /// into its own buffer (kept and reused), decodes every blob there in place and writes it out.
    /// Memory is therefore bounded by bytes, not by packs: workers × (largest range + largest
    /// compressed blob's plaintext), and nothing is allocated per range or blob.
    /// </summary>
    private async Task WriteContentAsync(CancellationToken cancellationToken)
    {
        var ranges = _blobs.Values
            .GroupBy(b => b.Blob.PackId)
            .SelectMany(g => PackRange.Plan(g.Key, g, _options.MaxReadRange))
            .OrderBy(r => r.PackId).ThenBy(r => r.Offset)
            .ToList();
        var workers = Math.Min(_workers, Math.Max(1, ranges.Count));
        var next = -1;
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = Task.Run(async () =>
            {
                byte[]? buffer = null;
                byte[]? scratch = null;
                int i;
                while ((i = Interlocked.Increment(ref next)) < ranges.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var range = ranges[i];
                    if (buffer is null || buffer.Length < range.Length)
                    {
                        // Grown to what the ranges need (rounded up to 1 MiB so it seldom grows twice), not padded to the maximum.
                        buffer = GC.AllocateUninitializedArray<byte>(checked((range.Length + (1 << 20) - 1) & ~((1 << 20) - 1)));
                    }

                    if (await ReadRangeAsync(range, buffer, cancellationToken).ConfigureAwait(false))
                    {
                        RestoreRange(range, buffer, ref scratch);
                    }
                }
            }, cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Reads a range into <paramref name="buffer"/>; false (its blobs reported lost) when it cannot be read.</summary>
    private async ValueTask<bool> ReadRangeAsync(PackRange range, byte[] buffer, CancellationToken cancellationToken)
    {
        var readStart = Stopwatch.GetTimestamp();
        try
        {
            var read = await _repository.Backend.ReadAsync(new FileHandle(FileType.Pack, range.PackId.ToString()), range.Offset, buffer.AsMemory(0, range.Length), cancellationToken).ConfigureAwait(false);
            if (read != range.Length)
            {
                throw new RepositoryCorruptException($"pack {range.PackId} is truncated: read {read} of {range.Length} bytes at offset {range.Offset}");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var blob in range.Blobs)
            {
                FailBlob(blob, $"pack {range.PackId} cannot be read: {ex.Message}");
            }

            return false;
        }

        Interlocked.Add(ref _readTicks, Stopwatch.GetTimestamp() - readStart);
        return true;
    }

    private void RestoreRange(PackRange range, byte[] buffer, ref byte[]? scratch)
    {
        var data = buffer.AsSpan(0, range.Length);
        foreach (var blob in range.Blobs)
        {
            ReadOnlySpan<byte> plaintext;
            var decodeStart = Stopwatch.GetTimestamp();
            try
            {
                plaintext = InPlaceBlobDecoder.Decode(_repository.Key, blob.Blob, data, range.Offset, ref scratch);
                Interlocked.Add(ref _decodeTicks, Stopwatch.GetTimestamp() - decodeStart);
            }
            catch (RepositoryCorruptException ex)
            {
                FailBlob(blob, ex.Message);
                continue;
            }

            var writeStart = Stopwatch.GetTimestamp();
            WriteBlob(blob, plaintext);
            Interlocked.Add(ref _writeTicks, Stopwatch.GetTimestamp() - writeStart);
        }
    }

    private void WriteBlob(BlobTarget blob, ReadOnlySpan<byte> plaintext)
    {
        var hole = _options.Sparse && plaintext.IndexOfAnyExcept((byte)0) < 0;
        foreach (var (file, offset) in blob.Writes)
        {
            if (!hole && !file.Failed)
            {
                try
                {
                    using var lease = _fileHandles!.Rent(file.Index);
                    Posix.PWrite(lease.Fd, plaintext, offset);
                }
                catch (PosixException ex)
                {
                    FailFile(file, ex.Message);
                }
            }

            Interlocked.Add(ref _bytes, plaintext.Length);
            _options.Progress.AddDone(0, plaintext.Length);
            if (file.CompleteOne())
            {
                FinishFile(file);
            }
        }
    }

    private void FailBlob(BlobTarget blob, string reason)
    {
        foreach (var (file, _) in blob.Writes)
        {
            FailFile(file, $"content lost: {reason}");
            if (file.CompleteOne())
            {
                FinishFile(file);
            }
        }
    }

    private void FailFile(PlannedFile file, string reason)
    {
        if (file.MarkFailed())
        {
            Error(file.Location, reason);
        }
    }

    /// <summary>All of a file's blobs are written (or lost): owner, mode, times; then close it.</summary>
    private void FinishFile(PlannedFile file)
    {
        try
        {
            using (var lease = _fileHandles!.Rent(file.Index))
            {
                ApplyMetadata(lease.Fd, file.Node);
            }
        }
        catch (PosixException ex)
        {
            FailFile(file, ex.Message);
        }
        finally
        {
            _fileHandles!.Close(file.Index);
            _options.Progress.AddDone(1, 0);
        }
    }

    private FileDescriptor OpenFile(int index)
    {
        var file = _files[index];
        using var directory = _directoryHandles!.Rent(file.Directory);
        lock (file)
        {
            if (!file.Created)
            {
                return CreateFileNow(directory.Fd, file);
            }
        }

        var fd = Posix.OpenAt(directory.Fd, file.Name, OpenFlags.WriteOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.NoCtty);
        var status = Posix.Stat(fd);
        if (!status.IsRegular || status.Inode != file.Inode)
        {
            fd.Dispose();
            throw new PosixException("openat (the file was replaced while restoring)", Errno.EEXIST, file.Name);
        }

        return fd;
    }

    private FileDescriptor OpenDirectory(int index)
    {
        if (index < 0)
        {
            return new FileDescriptor(_root!.Value, ownsHandle: false);
        }

        var directory = _directories[index];
        using var parent = _directoryHandles!.Rent(directory.Parent);
        return Posix.OpenDirectoryAt(parent.Fd, directory.Name);
    }

    // ---------------- phase 3: folder metadata, deepest first ----------------

    private void ApplyDirectoryMetadata()
    {
        foreach (var index in _directoriesDeepestFirst)
        {
            var directory = _directories[index];
            if (directory.Node is null)
            {
                continue;
            }

            try
            {
                using var lease = _directoryHandles!.Rent(index);
                ApplyMetadata(lease.Fd, directory.Node);
            }
            catch (PosixException ex)
            {
                Error(directory.Location, ex.Message);
            }
        }
    }

    // Owner first (chown clears setuid/setgid), then all 12 mode bits, then times.
    private void ApplyMetadata(FileDescriptor fd, Node node)
    {
        if (_options.RestoreOwners)
        {
            Posix.Chown(fd, node.Uid, node.Gid);
        }

        Posix.Chmod(fd, GoFileMode.ToPosixPermissions(node.Mode));
        Posix.SetTimes(fd, Time(node.AccessTime), Time(node.ModTime));
    }

    private static PosixTime Time(Json.GoTime time) => new(time.UnixSeconds, (uint)time.Nanoseconds);

    private void Error(string location, string message)
    {
        _errors.Enqueue(new RestoreError(location, message));
        _options.Progress.AddError();
    }

    private static string Show(string location) => location.Length == 0 ? "/" : location;
}
