using Cellar.Repository.Locking;
using Cellar.Repository.Model;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Repository.Copying;

/// <summary>
/// Copies snapshots from one repository into another, as restic's <c>copy</c> does: every tree and
/// data blob the destination lacks is stored there (re-encrypted with its key), then the snapshot
/// is saved without its parent and with <c>original</c> naming the first id it had. A snapshot
/// whose copy is already there (same original id and the same time, tree, host, user, paths, tags
/// and excludes) is skipped, so running a copy twice copies nothing twice.
/// </summary>
public sealed class SnapshotCopier(ResticRepository source, ResticRepository destination, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    public async Task<CopyResult> CopyAsync(IReadOnlyList<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        // The destination is written to: it needs a lock. Reading the source under a lock (restic's
        // read lock, or none with --no-lock) is the caller's choice, made when it opened it.
        await using var destinationLock = await RepositoryLock.EnsureAsync(destination, LockMode.Shared, cancellationToken).ConfigureAwait(false);
        var existing = new Dictionary<Id, List<Snapshot>>();
        foreach (var present in await destination.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (present.Original is { } original)
            {
                Add(existing, original, present);
            }

            Add(existing, present.Id, present);
        }

        var copied = new List<(Snapshot, Id)>();
        var skipped = new List<(Snapshot, Id)>();
        await using var writer = new BlobWriter(
            destination.Backend, destination.Key, destination.Config.Version, BlobCompression.Auto,
            destination.Index.Contains, (json, ct) => destination.SaveUnpackedAsync(FileType.Index, json, ct));
        var visited = new HashSet<Id>();
        var pending = new List<Snapshot>();
        foreach (var snapshot in snapshots)
        {
            var identity = snapshot.Original ?? snapshot.Id;
            if (existing.TryGetValue(identity, out var copies) && copies.FirstOrDefault(c => Similar(c, snapshot)) is { } copy)
            {
                _log($"skipping snapshot {snapshot.Id.ToShortString()}, already copied as {copy.Id.ToShortString()}");
                skipped.Add((snapshot, copy.Id));
                continue;
            }

            var tree = snapshot.Tree ?? throw new RepositoryCorruptException($"snapshot {snapshot.Id.ToShortString()} has no tree");
            _log($"copying snapshot {snapshot.Id.ToShortString()} of [{string.Join(' ', snapshot.Paths ?? [])}] at {snapshot.Time}");
            await CopyTreeAsync(tree, writer, visited, cancellationToken).ConfigureAwait(false);
            pending.Add(snapshot);
        }

        // Packs and their index first, then the snapshots that name them: the destination is valid at every instant.
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var snapshot in pending)
        {
            var sourceId = snapshot.Id;
            var clone = Snapshot.Parse(snapshot.ToJson());
            clone.Parent = null;
            clone.Original ??= sourceId;
            var id = await destination.SaveUnpackedAsync(FileType.Snapshot, clone.ToJson(), cancellationToken).ConfigureAwait(false);
            _log($"snapshot {id.ToShortString()} saved");
            copied.Add((snapshot, id));
        }

        return new CopyResult(copied, skipped, writer.BlobsAdded, writer.DataAdded);
    }

    private async Task CopyTreeAsync(Id treeId, BlobWriter writer, HashSet<Id> visited, CancellationToken cancellationToken)
    {
        if (!visited.Add(treeId))
        {
            return;
        }

        var raw = await source.LoadBlobAsync(BlobType.Tree, treeId, cancellationToken).ConfigureAwait(false);
        // The tree's own bytes are copied (not re-serialized), so its id stays the same.
        await writer.SaveBlobAsync(new BlobHandle(treeId, BlobType.Tree), raw, cancellationToken).ConfigureAwait(false);
        var tree = Tree.Parse(raw);
        foreach (var node in tree.Nodes)
        {
            foreach (var id in node.Content ?? [])
            {
                var handle = new BlobHandle(id, BlobType.Data);
                if (!writer.Contains(handle))
                {
                    var data = await source.LoadBlobAsync(BlobType.Data, id, cancellationToken).ConfigureAwait(false);
                    await writer.SaveBlobAsync(handle, data, cancellationToken).ConfigureAwait(false);
                }
            }

            if (node.IsDirectory && node.Subtree is { } subtree)
            {
                await CopyTreeAsync(subtree, writer, visited, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>restic's similarSnapshots: everything but parent and original must match.</summary>
    private static bool Similar(Snapshot a, Snapshot b) =>
        a.Time.CompareInstant(b.Time) == 0
        && a.Tree == b.Tree
        && a.Hostname == b.Hostname
        && a.Username == b.Username
        && a.Uid == b.Uid
        && a.Gid == b.Gid
        && Same(a.Paths, b.Paths, ordered: false)
        && Same(a.Tags, b.Tags, ordered: false)
        && Same(a.Excludes, b.Excludes, ordered: true);

    private static bool Same(List<string>? a, List<string>? b, bool ordered)
    {
        a ??= [];
        b ??= [];
        return a.Count == b.Count && (ordered ? a.SequenceEqual(b, StringComparer.Ordinal) : b.All(x => a.Contains(x, StringComparer.Ordinal)));
    }

    private static void Add(Dictionary<Id, List<Snapshot>> map, Id key, Snapshot snapshot)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(snapshot);
    }
}
