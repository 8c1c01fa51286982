using System.Reflection;
using Cellar.Repository.Chunking;
using Cellar.Repository.Json;
using Cellar.Repository.Locking;
using Cellar.Repository.Model;
using Cellar.Repository.Packs;
using Cellar.Repository.Platform;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Repository.Archiving;

/// <summary>
/// One backup into an open repository, in the order that keeps the repository valid at every
/// instant: a shared lock, packs, then the index files naming them, then the snapshot, then the
/// lock removed. The Cells layer uses this with its own paths, virtual files (database dumps,
/// manifest) and tags.
/// </summary>
public sealed class BackupJob
{
    private readonly ResticRepository _repository;
    private readonly BlobCompression _compression;
    private int _warnings;

    public BackupJob(ResticRepository repository, BlobCompression compression = BlobCompression.Auto)
    {
        _repository = repository;
        _compression = compression;
    }

    /// <summary>Called for each file that could not be stored as it was (from worker threads).</summary>
    public event Action<BackupWarning>? Warning;

    /// <summary>Called once the parent snapshot is chosen (null: none).</summary>
    public event Action<Snapshot?>? ParentChosen;

    /// <summary>The counters of the running backup (null before <see cref="RunAsync"/> starts the walk).</summary>
    public BackupStatistics? Statistics { get; private set; }

    /// <summary>The pack writer of the running backup, for progress (bytes added).</summary>
    public BlobWriter? Writer { get; private set; }

    public static string ProgramVersion
    {
        get
        {
            var version = typeof(BackupJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return "cellar " + (plus >= 0 ? version[..plus] : version);
        }
    }

    public async Task<BackupResult> RunAsync(BackupRequest request, CancellationToken cancellationToken)
    {
        Posix.EnsureSupported();
        if (request.Paths.Count == 0 && request.VirtualFiles.Count == 0)
        {
            throw new ArgumentException("Nothing to back up: give at least one path.");
        }

        if (request.KeepParentNodes && request.ParentSnapshot is null)
        {
            throw new ArgumentException("Keeping the parent's nodes needs the parent snapshot.");
        }

        var start = GoTime.FromDateTimeOffset(DateTimeOffset.Now);
        var (targets, targetPaths) = ResolveTargets(request.Paths, request.BaseDirectory ?? Environment.CurrentDirectory);
        var paths = targetPaths.Concat(request.VirtualFiles.Select(v => v.ListedAs ?? v.SnapshotPath)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var hostname = request.Hostname ?? HostIdentity.Hostname;

        await using var repositoryLock = await RepositoryLock.EnsureAsync(_repository, LockMode.Shared, cancellationToken).ConfigureAwait(false);
        var parent = await FindParentAsync(request, hostname, paths, cancellationToken).ConfigureAwait(false);
        ParentChosen?.Invoke(parent);
        Tree? parentRoot = null;
        if (parent?.Tree is { } parentTree)
        {
            parentRoot = await _repository.LoadTreeAsync(parentTree, cancellationToken).ConfigureAwait(false);
        }

        await using var writer = new BlobWriter(
            _repository.Backend,
            _repository.Key,
            _repository.Config.Version,
            _compression,
            _repository.Index.Contains,
            (json, ct) => _repository.SaveUnpackedAsync(FileType.Index, json, ct));
        Writer = writer;
        var archiver = new Archiver(writer, new Polynomial(_repository.Config.ChunkerPolynomial), _repository.LoadTreeAsync, OnWarning, start);
        Statistics = archiver.Statistics;
        var root = await archiver.ArchiveAsync(request, targets, parent?.Tree, parentRoot, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        var statistics = archiver.Statistics;
        var treeBlobs = writer.TreeBlobsAdded;
        var snapshot = new Snapshot
        {
            Time = start,
            Parent = parent?.Id,
            Tree = root,
            Paths = paths,
            Hostname = hostname,
            Username = HostIdentity.Username,
            Uid = Posix.EffectiveUserId,
            Gid = Posix.EffectiveGroupId,
            Excludes = request.Excludes.Count > 0 ? [.. request.Excludes.Select(e => e.Text)] : null,
            Tags = request.Tags.Count > 0 ? [.. request.Tags] : null,
            ProgramVersion = ProgramVersion,
            Summary = new SnapshotSummary
            {
                BackupStart = start,
                BackupEnd = GoTime.FromDateTimeOffset(DateTimeOffset.Now),
                FilesNew = (ulong)statistics.FilesNew,
                FilesChanged = (ulong)statistics.FilesChanged,
                FilesUnmodified = (ulong)statistics.FilesUnmodified,
                DirsNew = (ulong)statistics.DirsNew,
                DirsChanged = (ulong)statistics.DirsChanged,
                DirsUnmodified = (ulong)statistics.DirsUnmodified,
                DataBlobs = writer.BlobsAdded - treeBlobs,
                TreeBlobs = treeBlobs,
                DataAdded = (ulong)writer.DataAdded,
                DataAddedPacked = (ulong)writer.DataAddedPacked,
                TotalFilesProcessed = (ulong)statistics.FilesProcessed,
                TotalBytesProcessed = (ulong)statistics.BytesProcessed,
            },
        };
        snapshot.Id = await _repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.ToJson(), cancellationToken).ConfigureAwait(false);
        return new BackupResult(snapshot, statistics, writer.BlobsAdded - treeBlobs, treeBlobs, writer.DataAdded, writer.DataAddedPacked, writer.PacksWritten, Volatile.Read(ref _warnings));
    }

    private void OnWarning(BackupWarning warning)
    {
        Interlocked.Increment(ref _warnings);
        Warning?.Invoke(warning);
    }

    /// <summary>
    /// The targets to read, as restic 0.14 places them (archiver.resolveRelativeTargets and
    /// pathComponents): an absolute path with all its components; a relative one with its own
    /// components only, leading <c>..</c> dropped; a relative path with none left (<c>.</c>,
    /// <c>..</c>) by its directory's entries. The snapshot's <c>paths</c> are the given paths made
    /// absolute, as restic.NewSnapshot records them.
    /// </summary>
    private static (List<BackupTarget> Targets, List<string> Paths) ResolveTargets(IReadOnlyList<string> paths, string baseDirectory)
    {
        var targets = new List<BackupTarget>();
        var recorded = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, baseDirectory);
            if (full.Length > 1)
            {
                full = full.TrimEnd('/');
            }

            var raw = RawPath.FromString(full);
            if (!Posix.TryStat(raw, out var status))
            {
                throw new ArgumentException($"{path} does not exist; check the path (backups read what exists at the moment they run).");
            }

            recorded.Add(full);
            var depth = Path.IsPathRooted(path) ? raw.Split().Count : RawPath.FromString(Path.GetFullPath("/" + path)).Split().Count;
            if (depth > 0 || Path.IsPathRooted(path))
            {
                Add(new BackupTarget(raw, depth));
            }
            else if (status.IsDirectory)
            {
                foreach (var entry in Posix.ReadDirectory(raw).Select(e => e.Name.ToArray()).Order(ByteComparer.Instance))
                {
                    Add(new BackupTarget(raw.Combine(new RawPath(entry)), 1));
                }
            }
        }

        return (targets, recorded);

        void Add(BackupTarget target)
        {
            if (!targets.Contains(target))
            {
                targets.Add(target);
            }
        }
    }

    private async Task<Snapshot?> FindParentAsync(BackupRequest request, string hostname, List<string> paths, CancellationToken cancellationToken)
    {
        if (request.Force)
        {
            return null;
        }

        if (request.ParentSnapshot is { } parentId)
        {
            return await _repository.LoadSnapshotAsync(parentId, cancellationToken).ConfigureAwait(false);
        }

        var snapshots = await _repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        for (var i = snapshots.Count - 1; i >= 0; i--)
        {
            var candidate = snapshots[i];
            if (string.Equals(candidate.Hostname, hostname, StringComparison.Ordinal)
                && candidate.Paths is { } candidatePaths
                && candidatePaths.Order(StringComparer.Ordinal).SequenceEqual(paths, StringComparer.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }
}
