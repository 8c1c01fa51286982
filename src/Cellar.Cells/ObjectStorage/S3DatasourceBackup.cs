using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Cellar.Cells.Installation;
using Cellar.Repository;
using Cellar.Repository.Archiving;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Storage;
using Cellar.Storage.S3;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// Backs up the buckets of S3 datasources into the installation snapshot, after the database dump:
/// each bucket is listed; an object whose key, size and ETag match the last installation snapshot
/// keeps that snapshot's content unread; the others are downloaded (a read that breaks resumes;
/// failed requests are retried with backoff) into a temporary stage snapshot whose content the
/// installation snapshot then takes. An object that changed after the listing is stored as it was
/// read, with the metadata of that read, and counted; one deleted meanwhile is left out and counted.
/// An object that cannot be read fails the backup: no installation snapshot lacks objects.
/// </summary>
internal sealed class S3DatasourceBackup(ResticRepository repository, IReadOnlyList<CellsDatasource> datasources, S3DatasourceAccess access, string? hostname, Action<string> log)
{
    private sealed class Plan(CellsDatasource datasource, CellsS3Storage storage, S3ObjectStore store, DateTimeOffset listedAt)
    {
        public CellsDatasource Datasource { get; } = datasource;
        public CellsS3Storage Storage { get; } = storage;
        public S3ObjectStore Store { get; } = store;
        public DateTimeOffset ListedAt { get; } = listedAt;
        public List<S3ObjectEntry> Entries { get; } = [];
        public Dictionary<string, string> Paths { get; set; } = [];
        public Dictionary<string, (S3ListedObject Listed, Node Node)> Reused { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, S3ListedObject> Read { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, bool> Deleted { get; } = new(StringComparer.Ordinal);
        public long Changed;
        public string Folder => SnapshotLayout.S3Objects + "/" + Datasource.Name;
    }

    public async Task<S3BackupStage> RunAsync(CancellationToken cancellationToken)
    {
        var plans = new List<Plan>();
        try
        {
            foreach (var datasource in datasources.Where(d => d.S3 is { Bucket: not null, BucketsRegexp: null }))
            {
                var storage = datasource.S3!;
                var store = access.Open(datasource.Name, storage, line => log("WARNING: " + line));
                var plan = new Plan(datasource, storage, store, DateTimeOffset.UtcNow);
                plans.Add(plan);
                var prefix = storage.Prefix.Length == 0 ? "" : storage.Prefix + "/";
                try
                {
                    await foreach (var entry in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
                    {
                        plan.Entries.Add(entry);
                    }
                }
                catch (StorageException ex)
                {
                    throw new InstallationRefusedException(
                        $"{ex.Message} To back up everything else without its objects, add --exclude-datasource {datasource.Name} (the snapshot is then tagged incomplete and the exit code is 3).");
                }

                plan.Paths = S3KeyPaths.Assign(plan.Entries.Select(e => e.Key), storage.Prefix);
                log($"S3 datasource {datasource.Name}: {plan.Entries.Count} objects, {ByteSize.Format(plan.Entries.Sum(e => e.Size))} listed at {storage}");
            }

            if (plans.Count == 0)
            {
                return new S3BackupStage([], [], null);
            }

            await FindReusableAsync(plans, cancellationToken).ConfigureAwait(false);
            var stage = await DownloadAsync(plans, cancellationToken).ConfigureAwait(false);
            try
            {
                return await ComposeAsync(plans, stage, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (stage is { } id)
                {
                    await RemoveStageAsync(repository, id, log).ConfigureAwait(false);
                }

                throw;
            }
        }
        finally
        {
            foreach (var plan in plans)
            {
                plan.Store.Dispose();
            }
        }
    }

    /// <summary>Removes the stage snapshot (its blobs stay for the installation snapshot, or for prune).</summary>
    public static async Task RemoveStageAsync(ResticRepository repository, Id stage, Action<string> log)
    {
        try
        {
            await repository.Backend.RemoveAsync(new FileHandle(FileType.Snapshot, stage.ToString()), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            log($"WARNING: the temporary snapshot {stage.ToShortString()} (tag {SnapshotLayout.S3StageTag}) could not be removed ({ex.Message}); remove it with 'cellar forget {stage.ToShortString()}'.");
        }
    }

    /// <summary>Objects whose key, size and ETag match the newest installation snapshot holding the datasource keep its content.</summary>
    private async Task FindReusableAsync(List<Plan> plans, CancellationToken cancellationToken)
    {
        var snapshots = await repository.ListSnapshotsAsync(cancellationToken, new SnapshotFilter(Tags: [SnapshotLayout.Tag])).ConfigureAwait(false);
        var pending = plans.ToList();
        foreach (var snapshot in snapshots.Reverse().Where(s => !(s.Tags ?? []).Contains(SnapshotLayout.PassOneTag, StringComparer.Ordinal)).Take(10))
        {
            if (pending.Count == 0 || snapshot.Tree is not { } tree)
            {
                break;
            }

            var files = new SnapshotFiles(repository, tree);
            InstallationManifest manifest;
            try
            {
                manifest = InstallationManifest.FromJson(await files.ReadAllAsync(SnapshotLayout.Manifest, cancellationToken).ConfigureAwait(false));
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            foreach (var plan in pending.ToList())
            {
                var previous = manifest.S3Datasources.FirstOrDefault(d => d.Name == plan.Datasource.Name && d.Bucket == plan.Storage.Bucket && d.Prefix == plan.Storage.Prefix);
                if (previous is null)
                {
                    continue;
                }

                pending.Remove(plan);
                var listing = S3ObjectListing.FromJson(await files.ReadAllAsync(previous.Listing, cancellationToken).ConfigureAwait(false));
                var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
                if (await files.FindAsync(plan.Folder, cancellationToken).ConfigureAwait(false) is { Subtree: { } folder })
                {
                    await CollectAsync(folder, "", nodes, cancellationToken).ConfigureAwait(false);
                }

                var before = listing.Objects.ToDictionary(o => o.Key, StringComparer.Ordinal);
                foreach (var entry in plan.Entries)
                {
                    if (before.TryGetValue(entry.Key, out var old) && old.Size == entry.Size && old.ETag == entry.ETag
                        && nodes.TryGetValue(old.Path, out var node) && node.Content is not null && (long)node.Size == entry.Size)
                    {
                        plan.Reused[entry.Key] = (old with { Path = plan.Paths[entry.Key] }, node);
                    }
                }

                log($"S3 datasource {plan.Datasource.Name}: {plan.Reused.Count} objects unchanged since snapshot {snapshot.Id.ToShortString()}, {plan.Entries.Count - plan.Reused.Count} to download");
            }
        }
    }

    /// <summary>Every file node under a tree, by path relative to it.</summary>
    private async Task CollectAsync(Id tree, string prefix, Dictionary<string, Node> nodes, CancellationToken cancellationToken)
    {
        var loaded = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        foreach (var node in loaded.Nodes)
        {
            var path = prefix + node.Name;
            if (node.Subtree is { } subtree)
            {
                await CollectAsync(subtree, path + "/", nodes, cancellationToken).ConfigureAwait(false);
            }
            else if (node.Type == NodeType.File)
            {
                nodes[path] = node;
            }
        }
    }

    /// <summary>Downloads the objects not reused into a stage snapshot; null when nothing needed downloading.</summary>
    private async Task<Id?> DownloadAsync(List<Plan> plans, CancellationToken cancellationToken)
    {
        var files = new List<VirtualFile>();
        long total = 0, totalBytes = 0;
        foreach (var plan in plans)
        {
            foreach (var entry in plan.Entries.Where(e => !plan.Reused.ContainsKey(e.Key)))
            {
                total++;
                totalBytes += entry.Size;
                files.Add(new VirtualFile(plan.Folder + "/" + plan.Paths[entry.Key], ct => OpenAsync(plan, entry, ct), FileModes.PrivateFile, entry.LastModified) { ListedAs = SnapshotLayout.S3Objects });
            }
        }

        if (files.Count == 0)
        {
            return null;
        }

        log($"S3: downloading {total} objects ({ByteSize.Format(totalBytes)})");
        _progressTotal = total;
        _progressClock.Restart();
        var job = new BackupJob(repository);
        var result = await job.RunAsync(new BackupRequest { VirtualFiles = files, Tags = [SnapshotLayout.S3StageTag], Hostname = hostname, Force = true }, cancellationToken).ConfigureAwait(false);

        // The installation snapshot takes this snapshot's content: the index must know its blobs.
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var stage = result.SnapshotId;
        try
        {
            var stageFiles = new SnapshotFiles(repository, result.Snapshot.Tree!.Value);
            var unread = new List<string>();
            foreach (var plan in plans)
            {
                var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
                if (await stageFiles.FindAsync(plan.Folder, cancellationToken).ConfigureAwait(false) is { Subtree: { } folder })
                {
                    await CollectAsync(folder, "", nodes, cancellationToken).ConfigureAwait(false);
                }

                foreach (var entry in plan.Entries.Where(e => !plan.Reused.ContainsKey(e.Key) && !plan.Deleted.ContainsKey(e.Key)))
                {
                    var path = plan.Paths[entry.Key];
                    if (!plan.Read.TryGetValue(entry.Key, out var read) || !nodes.TryGetValue(path, out var node) || node.Content is null || (long)node.Size != read.Size)
                    {
                        unread.Add($"{plan.Datasource.Name}/{entry.Key}");
                        continue;
                    }

                    plan.Reused[entry.Key] = (read, node);
                }
            }

            if (unread.Count > 0)
            {
                throw new InstallationRefusedException(
                    $"{unread.Count} S3 object(s) could not be read ({string.Join(", ", unread.Take(3))}{(unread.Count > 3 ? ", …" : "")}), so no installation snapshot was saved; check the server and run the backup again.");
            }

            log($"S3: {total} objects downloaded in {InstallationBackup.Seconds(_progressClock.Elapsed)}");
            return stage;
        }
        catch
        {
            await RemoveStageAsync(repository, stage, log).ConfigureAwait(false);
            throw;
        }
    }

    private long _progressTotal;
    private long _progressDone;
    private long _progressBytes;
    private readonly Stopwatch _progressClock = new();
    private long _lastReport;

    private async ValueTask<Stream> OpenAsync(Plan plan, S3ObjectEntry entry, CancellationToken cancellationToken)
    {
        var read = await plan.Store.ReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            plan.Deleted[entry.Key] = true;
            log($"WARNING: S3 datasource {plan.Datasource.Name}: {entry.Key} was deleted after the listing; left out");
            return new MemoryStream([], writable: false);
        }

        if (read.ETag != entry.ETag || read.Size != entry.Size)
        {
            Interlocked.Increment(ref plan.Changed);
            log($"WARNING: S3 datasource {plan.Datasource.Name}: {entry.Key} changed after the listing; stored as read now (ETag {read.ETag})");
        }

        plan.Read[entry.Key] = new S3ListedObject(entry.Key, plan.Paths[entry.Key], read.Size, read.ETag, read.LastModified, read.ContentType, read.VersionId, read.Metadata);
        var done = Interlocked.Increment(ref _progressDone);
        var bytes = Interlocked.Add(ref _progressBytes, read.Size);
        var now = _progressClock.ElapsedMilliseconds;
        var last = Interlocked.Read(ref _lastReport);
        if ((now - last >= 2000 || done == _progressTotal) && Interlocked.CompareExchange(ref _lastReport, now, last) == last)
        {
            log($"S3: {done} of {_progressTotal} objects, {ByteSize.Format(bytes)} read");
        }

        return read.Content;
    }

    private async Task<S3BackupStage> ComposeAsync(List<Plan> plans, Id? stage, CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var files = new List<VirtualFile>();
        var manifest = new List<ManifestS3Datasource>();
        foreach (var plan in plans)
        {
            var objects = new List<S3ListedObject>();
            foreach (var entry in plan.Entries.Where(e => !plan.Deleted.ContainsKey(e.Key)))
            {
                var (listed, node) = plan.Reused[entry.Key];
                objects.Add(listed);
                files.Add(new VirtualFile(plan.Folder + "/" + listed.Path, _ => throw new InvalidOperationException("known content is never read"), FileModes.PrivateFile, listed.LastModified)
                {
                    KnownContent = node.Content,
                    Size = listed.Size,
                    ListedAs = SnapshotLayout.S3Objects,
                });
            }

            var listing = new S3ObjectListing
            {
                Datasource = plan.Datasource.Name,
                Endpoint = plan.Storage.Endpoint.GetLeftPart(UriPartial.Authority),
                Bucket = plan.Storage.Bucket!,
                Prefix = plan.Storage.Prefix,
                ListedAt = plan.ListedAt,
                Objects = objects,
            };
            var listingPath = SnapshotLayout.S3Listings + "/" + plan.Datasource.Name + ".json";
            files.Add(VirtualFile.FromBytes(listingPath, listing.ToJson()));
            var downloaded = plan.Read.Count;
            manifest.Add(new ManifestS3Datasource(
                plan.Datasource.Name, listing.Endpoint, listing.Bucket, listing.Prefix, plan.Storage.Region, plan.Storage.PathStyle,
                objects.Count, objects.Sum(o => o.Size), listingPath, downloaded, objects.Count - downloaded, plan.Changed));
            if (plan.Deleted.Count > 0 || plan.Changed > 0)
            {
                log($"S3 datasource {plan.Datasource.Name}: {plan.Changed} object(s) changed and {plan.Deleted.Count} deleted after the listing (stored as read)");
            }
        }

        return new S3BackupStage(files, manifest, stage);
    }

    internal static string Describe(IEnumerable<ManifestS3Datasource> datasources)
    {
        var sb = new StringBuilder();
        foreach (var d in datasources)
        {
            sb.Append($"{d.Name}: {d.Objects} objects ({d.Downloaded} downloaded, {d.Reused} unchanged); ");
        }

        return sb.ToString().TrimEnd(' ', ';');
    }
}
