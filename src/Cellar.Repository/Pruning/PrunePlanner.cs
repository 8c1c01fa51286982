using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Cellar.Repository.Model;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Pruning;

/// <summary>
/// Decides what prune does, following restic's algorithm: find the used blobs by walking every
/// snapshot, count each blob's copies in the packs that exist, keep one copy of every used blob,
/// then classify packs as fully used (kept), unused (deleted), or partly used (repacked while the
/// unused space left would exceed the limit; packs holding trees always). Packs no index lists are
/// deleted first. Any doubt (a tree that cannot be read, a used blob in no pack, a needed pack of
/// the wrong size) aborts with <see cref="PruneAbortedException"/> before anything changes.
/// The caller must hold the exclusive lock and have loaded the index after taking it.
/// </summary>
public static class PrunePlanner
{
    /// <param name="ignoreSnapshots">Snapshots to treat as removed (a dry run of forget --prune).</param>
    public static async Task<PrunePlan> PlanAsync(ResticRepository repository, MaxUnusedLimit maxUnused, Action<string>? log, CancellationToken cancellationToken, IReadOnlySet<Id>? ignoreSnapshots = null)
    {
        IReadOnlyList<Snapshot> snapshots;
        try
        {
            snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            if (ignoreSnapshots is { Count: > 0 })
            {
                snapshots = snapshots.Where(s => !ignoreSnapshots.Contains(s.Id)).ToList();
            }
        }
        catch (RepositoryCorruptException ex)
        {
            throw new PruneAbortedException($"a snapshot file cannot be read ({ex.Message}); prune stopped and removed nothing. Run 'cellar check'.", ex);
        }

        log?.Invoke($"finding data that is still in use for {snapshots.Count} snapshots");
        var used = await UsedBlobCollector.CollectAsync(repository, snapshots, cancellationToken).ConfigureAwait(false);

        log?.Invoke("searching used packs...");
        var stored = new Dictionary<Id, long>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (Id.TryParse(file.Name, out var id))
            {
                stored[id] = file.Size;
            }
        }

        return Classify(repository.Index, used, stored, maxUnused, log);
    }

    /// <summary>
    /// The classification alone, a pure function: from the index, the blobs the snapshots use and the
    /// packs the backend holds (id → size), which packs are kept, deleted, repacked, or dropped from
    /// the index, with the statistics prune reports. Reads and writes nothing; throws
    /// <see cref="PruneAbortedException"/> when a used blob is in no stored pack or a pack holding
    /// used data has the wrong size.
    /// </summary>
    /// <param name="index">Every index file of the repository.</param>
    /// <param name="used">Every blob the snapshots kept need.</param>
    /// <param name="storedPacks">The pack files the backend lists, with their sizes.</param>
    /// <param name="maxUnused">How much unused space partly used packs may keep.</param>
    /// <param name="log">Progress lines (null: silent).</param>
    public static PrunePlan Classify(MasterIndex index, IReadOnlySet<BlobHandle> used, IReadOnlyDictionary<Id, long> storedPacks, MaxUnusedLimit maxUnused, Action<string>? log = null)
    {
        var packs = CollectIndexedPacks(index);
        var statistics = new PruneStatistics();
        var occurrences = new Dictionary<BlobHandle, List<PackUsage>>();
        foreach (var pack in packs.Values)
        {
            if (!storedPacks.ContainsKey(pack.Id))
            {
                continue;
            }

            foreach (var blob in pack.Blobs)
            {
                if (used.Contains(blob.Blob))
                {
                    if (!occurrences.TryGetValue(blob.Blob, out var list))
                    {
                        occurrences[blob.Blob] = list = [];
                    }

                    list.Add(pack);
                }
            }
        }

        var missing = used.Where(b => !occurrences.ContainsKey(b)).ToList();
        if (missing.Count > 0)
        {
            var sample = string.Join(", ", missing.Take(5).Select(b => $"{b.Type.ToString().ToLowerInvariant()} {b.Id.ToShortString()}"));
            throw new PruneAbortedException($"{missing.Count} blobs the snapshots need are in no pack of the repository ({sample}); data seems to be missing, so prune stopped and removed nothing. Run 'cellar check' (or 'restic check').");
        }

        // First pass: unique used blobs count as used, copies of a duplicated one as unused for now.
        foreach (var pack in packs.Values)
        {
            var present = storedPacks.ContainsKey(pack.Id);
            foreach (var blob in pack.Blobs)
            {
                if (present && occurrences.TryGetValue(blob.Blob, out var copies))
                {
                    if (copies.Count == 1)
                    {
                        pack.UsedBlobs++;
                        pack.UsedSize += blob.Length;
                        statistics.UsedBlobs++;
                        statistics.UsedSize += blob.Length;
                        continue;
                    }

                    pack.DuplicateBlobs++;
                    statistics.DuplicateBlobs++;
                    statistics.DuplicateSize += blob.Length;
                }
                else
                {
                    statistics.UnusedBlobs++;
                    statistics.UnusedSize += blob.Length;
                }

                pack.UnusedBlobs++;
                pack.UnusedSize += blob.Length;
            }
        }

        // Second pass: one copy of each duplicated used blob becomes the used one, preferably in a
        // pack that is needed anyway, else in a pack of duplicates only (a repack left by an
        // interrupted prune), so such packs are kept rather than copied again.
        foreach (var (handle, copies) in occurrences)
        {
            if (copies.Count < 2)
            {
                continue;
            }

            var chosen = copies.OrderByDescending(p => p.UsedBlobs > 0).ThenByDescending(p => p.DuplicateBlobs == p.UnusedBlobs).First();
            var length = chosen.Blobs.First(b => b.Blob == handle).Length;
            chosen.UsedBlobs++;
            chosen.UsedSize += length;
            chosen.UnusedBlobs--;
            chosen.UnusedSize -= length;
            chosen.DuplicateBlobs--;
            statistics.UsedBlobs++;
            statistics.UsedSize += length;
            statistics.DuplicateBlobs--;
            statistics.DuplicateSize -= length;
        }

        var plan = new PrunePlan(statistics)
        {
            Used = used as HashSet<BlobHandle> ?? [.. used],
            Packs = packs,
            IndexFiles = [.. index.IndexFileIds],
        };

        log?.Invoke("collecting packs for deletion and repacking");
        var candidates = new List<PackUsage>();
        foreach (var (id, size) in storedPacks)
        {
            if (!packs.TryGetValue(id, out var pack))
            {
                plan.RemoveUnreferenced.Add(id);
                statistics.UnreferencedSize += size;
                continue;
            }

            if (pack.TotalSize != size && pack.UsedBlobs > 0)
            {
                throw new PruneAbortedException($"pack {id} holds used data but is {size} bytes where its index entries add up to {pack.TotalSize}; prune stopped and removed nothing. Run 'restic repair index', then 'cellar check'.");
            }

            if (pack.UsedBlobs == 0)
            {
                statistics.PacksUnused++;
                plan.Remove.Add(id);
                statistics.RemoveBlobs += pack.UnusedBlobs;
                statistics.RemoveSize += pack.UnusedSize;
            }
            else if (pack.UnusedBlobs == 0)
            {
                statistics.PacksUsed++;
                if (pack.IsMixed)
                {
                    candidates.Add(pack);
                }
                else
                {
                    statistics.PacksKeep++;
                }
            }
            else
            {
                statistics.PacksPartlyUsed++;
                candidates.Add(pack);
            }
        }

        foreach (var pack in packs.Values.Where(p => !storedPacks.ContainsKey(p.Id)))
        {
            // Every blob of a missing pack counted as unused above; a needed one would have been
            // reported missing (it has no copy in an existing pack).
            plan.ForgetMissing.Add(pack.Id);
            log?.Invoke($"pack {pack.Id} is listed in the index but missing from the repository and holds nothing used: it is dropped from the index");
        }

        // Packs with trees first (small, read by every operation), then the highest unused share.
        candidates.Sort((a, b) =>
        {
            if (a.HoldsTrees != b.HoldsTrees)
            {
                return a.HoldsTrees ? -1 : 1;
            }

            return ((decimal)b.UnusedSize * a.TotalSize).CompareTo((decimal)a.UnusedSize * b.TotalSize);
        });
        var allowed = maxUnused.AllowedUnused(statistics.UsedSize);
        foreach (var pack in candidates)
        {
            if (!pack.HoldsTrees && statistics.UnusedAfter <= allowed)
            {
                statistics.PacksKeep++;
                continue;
            }

            plan.Repack.Add(pack.Id);
            statistics.RepackBlobs += pack.UsedBlobs + pack.UnusedBlobs;
            statistics.RepackSize += pack.TotalSize;
            statistics.RepackRemoveBlobs += pack.UnusedBlobs;
            statistics.RepackRemoveSize += pack.UnusedSize;
        }

        statistics.PacksUnreferenced = plan.RemoveUnreferenced.Count;
        statistics.PacksRepack = plan.Repack.Count;
        statistics.PacksRemove = plan.Remove.Count;

        // Used blobs with no copy in a kept pack must be copied out of the packs being repacked.
        var keptPacks = plan.KeptPacks.Select(p => p.Id).ToHashSet();
        foreach (var (handle, copies) in occurrences)
        {
            if (copies.Any(p => keptPacks.Contains(p.Id)))
            {
                continue;
            }

            if (!copies.Any(p => plan.Repack.Contains(p.Id)))
            {
                throw new InvalidOperationException($"internal error: used blob {handle.Id} would be in no pack after prune; nothing was removed");
            }

            plan.KeepWhileRepacking.Add(handle);
        }

        return plan;
    }

    /// <summary>Each pack the index files list, with its blobs once each (a pack may be listed by several files).</summary>
    private static Dictionary<Id, PackUsage> CollectIndexedPacks(MasterIndex index)
    {
        var blobsByPack = new Dictionary<Id, Dictionary<(BlobHandle, long), PackedBlob>>();
        foreach (var (_, file) in index.Files())
        {
            foreach (var pack in file.Packs)
            {
                if (!blobsByPack.TryGetValue(pack.Id, out var blobs))
                {
                    blobsByPack[pack.Id] = blobs = [];
                }

                foreach (var blob in pack.Blobs)
                {
                    blobs.TryAdd((blob.Blob, blob.Offset), blob);
                }
            }
        }

        var result = new Dictionary<Id, PackUsage>(blobsByPack.Count);
        foreach (var (id, blobs) in blobsByPack)
        {
            var list = blobs.Values.OrderBy(b => b.Offset).ToList();
            long header = MasterKey.Overhead + 4;
            foreach (var blob in list)
            {
                header += blob.IsCompressed ? PackHeader.CompressedEntrySize : PackHeader.PlainEntrySize;
            }

            result[id] = new PackUsage(id, list, header);
        }

        return result;
    }
}
