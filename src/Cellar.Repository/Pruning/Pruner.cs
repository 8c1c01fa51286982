using Cellar.Repository.Blobs;
using Cellar.Repository.Index;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Pruning;

/// <summary>
/// Carries out a <see cref="PrunePlan"/> in the order that keeps the repository valid at every
/// instant: unreferenced packs are deleted; used blobs of packs to repack are verified (MAC and
/// hash) and copied as stored into new packs; new index files covering every kept and new pack are
/// written; only then are the old index files deleted, and only when all of them are gone are the
/// obsolete packs deleted. A crash at any point leaves at worst packs no index lists.
/// The caller must hold the exclusive lock the plan was made under.
/// </summary>
public static class Pruner
{
    /// <summary>restic starts a new index file after 50000 entries (3 x that when compressed).</summary>
    private const int MaxBlobsPerIndexFile = 150_000;

    public static async Task<PruneOutcome> ExecuteAsync(ResticRepository repository, PrunePlan plan, Action<string>? log, CancellationToken cancellationToken)
    {
        var warnings = 0;
        var backend = repository.Backend;
        if (plan.RemoveUnreferenced.Count > 0)
        {
            log?.Invoke($"deleting {plan.RemoveUnreferenced.Count} unreferenced packs");
            warnings += await DeleteAsync(backend, FileType.Pack, plan.RemoveUnreferenced, log, cancellationToken).ConfigureAwait(false);
        }

        var newPacks = new List<IndexPack>();
        if (plan.Repack.Count > 0)
        {
            log?.Invoke($"repacking {plan.Repack.Count} packs");
            newPacks = await RepackAsync(repository, plan, cancellationToken).ConfigureAwait(false);
        }

        // The new index: every pack that stays, as listed before, plus the new packs.
        var index = new List<IndexPack>();
        foreach (var pack in plan.KeptPacks.OrderBy(p => p.Id))
        {
            var entry = new IndexPack(pack.Id);
            entry.Blobs.AddRange(pack.Blobs);
            index.Add(entry);
        }

        index.AddRange(newPacks);
        var covered = index.SelectMany(p => p.Blobs).Select(b => b.Blob).ToHashSet();
        var uncovered = plan.Used.Count(b => !covered.Contains(b));
        if (uncovered > 0)
        {
            throw new InvalidOperationException($"internal error: the new index would miss {uncovered} used blobs; prune stopped before deleting any index file or used pack");
        }

        log?.Invoke("rebuilding index");
        var written = new List<Id>();
        var file = new IndexFile();
        var blobsInFile = 0;
        foreach (var pack in index)
        {
            file.Packs.Add(pack);
            blobsInFile += pack.Blobs.Count;
            if (blobsInFile >= MaxBlobsPerIndexFile)
            {
                written.Add(await repository.SaveUnpackedAsync(FileType.Index, file.ToJson(), cancellationToken).ConfigureAwait(false));
                file = new IndexFile();
                blobsInFile = 0;
            }
        }

        if (file.Packs.Count > 0 || written.Count == 0)
        {
            written.Add(await repository.SaveUnpackedAsync(FileType.Index, file.ToJson(), cancellationToken).ConfigureAwait(false));
        }

        log?.Invoke("deleting obsolete index files");
        var oldIndexFiles = plan.IndexFiles.Where(id => !written.Contains(id)).ToList();
        foreach (var id in oldIndexFiles)
        {
            try
            {
                await backend.RemoveAsync(new FileHandle(FileType.Index, id.ToString()), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // The old file still lists the packs we would delete: keep them, so the repository stays whole.
                throw new PruneAbortedException($"index/{id} could not be deleted ({ex.Message}); the obsolete packs were kept so the repository stays valid. Run prune again.", ex);
            }
        }

        var obsolete = plan.Remove.Concat(plan.Repack).ToHashSet();
        if (obsolete.Count > 0)
        {
            log?.Invoke($"removing {obsolete.Count} old packs");
            warnings += await DeleteAsync(backend, FileType.Pack, obsolete, log, cancellationToken).ConfigureAwait(false);
        }

        return new PruneOutcome(newPacks.Count, written.Count, oldIndexFiles.Count, warnings);
    }

    private static async Task<List<IndexPack>> RepackAsync(ResticRepository repository, PrunePlan plan, CancellationToken cancellationToken)
    {
        var copied = new HashSet<BlobHandle>();
        var result = new List<IndexPack>();
        var writers = new PackWriter?[2];
        try
        {
            foreach (var packId in plan.Repack.Order())
            {
                var blobs = plan.BlobsToCopy(packId).Where(b => !copied.Contains(b.Blob)).ToList();
                if (blobs.Count == 0)
                {
                    continue;
                }

                var bytes = await repository.Backend.LoadAsync(new FileHandle(FileType.Pack, packId.ToString()), 0, 0, cancellationToken).ConfigureAwait(false);
                foreach (var blob in blobs)
                {
                    if (!copied.Add(blob.Blob))
                    {
                        continue;
                    }

                    if (blob.End > bytes.Length)
                    {
                        throw new PruneAbortedException($"pack {packId} is shorter than its index says; prune stopped before deleting anything needed. Run 'cellar check'.");
                    }

                    try
                    {
                        // Proves the bytes are the blob (MAC, decompression, SHA-256) before they are copied.
                        BlobDecoder.Decode(repository.Key, blob, bytes.AsSpan((int)blob.Offset, blob.Length));
                    }
                    catch (RepositoryCorruptException ex)
                    {
                        throw new PruneAbortedException($"{ex.Message}; prune stopped before deleting anything needed. Run 'cellar check' (or 'restic check --read-data').", ex);
                    }

                    var slot = blob.Type == BlobType.Tree ? 1 : 0;
                    var writer = writers[slot];
                    if (writer is not null && writer.Count > 0 && writer.Size + blob.Length > PackWriter.TargetSize)
                    {
                        writers[slot] = null;
                        try
                        {
                            result.Add(await UploadAsync(repository.Backend, writer, cancellationToken).ConfigureAwait(false));
                        }
                        finally
                        {
                            writer.Dispose();
                        }

                        writer = null;
                    }

                    writer ??= writers[slot] = new PackWriter(repository.Key);
                    AddStored(writer, blob, bytes);
                }
            }

            for (var slot = 0; slot < writers.Length; slot++)
            {
                if (writers[slot] is { Count: > 0 } writer)
                {
                    result.Add(await UploadAsync(repository.Backend, writer, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }

        var notCopied = plan.KeepWhileRepacking.Count(b => !copied.Contains(b));
        if (notCopied > 0)
        {
            throw new InvalidOperationException($"internal error: {notCopied} used blobs were not repacked; prune stopped before deleting any index file or used pack");
        }

        return result;
    }

    private static void AddStored(PackWriter writer, in PackedBlob blob, byte[] pack)
    {
        // Single-threaded here: reserve the blob's place, copy its sealed bytes as they are, release.
        var offset = writer.Reserve(blob.Blob, blob.Length, blob.UncompressedLength);
        writer.Write(offset, pack.AsSpan(checked((int)blob.Offset), blob.Length));
        writer.Release(succeeded: true);
    }

    private static async Task<IndexPack> UploadAsync(IBackend backend, PackWriter writer, CancellationToken cancellationToken)
    {
        using var pack = writer.Finish();
        await backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), pack.File, pack.Length, cancellationToken).ConfigureAwait(false);
        var entry = new IndexPack(pack.Id);
        entry.Blobs.AddRange(pack.Blobs);
        return entry;
    }

    private static async Task<int> DeleteAsync(IBackend backend, FileType type, IEnumerable<Id> ids, Action<string>? log, CancellationToken cancellationToken)
    {
        var failures = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = ResticRepository.LoadParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                await backend.RemoveAsync(new FileHandle(type, id.ToString()), ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                Interlocked.Increment(ref failures);
                log?.Invoke($"unable to remove {type.ToString().ToLowerInvariant()}/{id} from the repository: {ex.Message}");
            }
        }).ConfigureAwait(false);
        return failures;
    }
}
