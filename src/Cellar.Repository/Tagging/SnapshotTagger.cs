using Cellar.Repository.Locking;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Tagging;

/// <summary>
/// Changes the tags of snapshots as restic does: a snapshot file is immutable (its name is the hash
/// of its content), so the changed snapshot is saved as a new file, keeping the first id in
/// <c>original</c>, and the old file is removed, under an exclusive lock.
/// </summary>
public static class SnapshotTagger
{
    /// <summary>Returns the new id of each snapshot that changed (old id → new id).</summary>
    public static async Task<IReadOnlyList<(Id Old, Id New)>> ApplyAsync(ResticRepository repository, IReadOnlyList<Snapshot> snapshots, TagChange change, CancellationToken cancellationToken)
    {
        await using var exclusive = await RepositoryLock.EnsureAsync(repository, LockMode.Exclusive, cancellationToken).ConfigureAwait(false);
        var changed = new List<(Id, Id)>();
        foreach (var snapshot in snapshots)
        {
            var (tags, isChanged) = change.Apply(snapshot.Tags);
            if (!isChanged)
            {
                continue;
            }

            var oldId = snapshot.Id;
            snapshot.Tags = tags;
            snapshot.Original ??= oldId;
            var newId = await repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.ToJson(), cancellationToken).ConfigureAwait(false);
            if (newId != oldId)
            {
                await repository.Backend.RemoveAsync(new FileHandle(FileType.Snapshot, oldId.ToString()), cancellationToken).ConfigureAwait(false);
            }

            snapshot.Id = newId;
            changed.Add((oldId, newId));
        }

        return changed;
    }
}
