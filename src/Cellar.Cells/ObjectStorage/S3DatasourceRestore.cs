using Cellar.Cells.Installation;
using Cellar.Cells.Vault;
using Cellar.Repository.Model;
using Cellar.Storage.S3;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// Puts S3 datasources' objects back: into the bucket (and prefix) they came from, or the
/// <c>--s3-target</c> given for the datasource, each with its key, bytes, content type and user
/// metadata. Credentials come from the credentials file, else from the snapshot's own pydio.json,
/// vault and keyring (the installation may be gone). A target that already holds objects is
/// refused without --force, before anything is written.
/// </summary>
internal sealed class S3DatasourceRestore(SnapshotFiles files, InstallationManifest manifest, InstallationRestoreOptions options, Action<string> log) : IDisposable
{
    private const int Parallelism = 4;
    private const long InMemoryLimit = 16 << 20;
    private readonly List<(ManifestS3Datasource Datasource, S3ObjectStore Store, string Prefix)> _targets = [];

    /// <summary>Opens every target; returns the ones that already hold objects (a restore refuses them without --force).</summary>
    public async Task<List<string>> PrepareAsync(CancellationToken cancellationToken)
    {
        var occupied = new List<string>();
        if (manifest.S3Datasources.Count == 0)
        {
            return occupied;
        }

        var config = PydioConfigReader.Read(manifest.ConfigFile, System.Text.Encoding.UTF8.GetString(await files.ReadAllAsync(manifest.ConfigFile, cancellationToken).ConfigureAwait(false)));
        CellsVault? vault = null;
        foreach (var datasource in manifest.S3Datasources)
        {
            var configured = config.Datasources.FirstOrDefault(d => d.Name == datasource.Name)?.S3;
            var endpoint = new Uri(datasource.Endpoint);
            var bucket = datasource.Bucket;
            var prefix = datasource.Prefix;
            var pathStyle = datasource.PathStyle;
            var target = options.S3Targets.TryGetValue(datasource.Name, out var named) ? named
                : manifest.S3Datasources.Count == 1 && options.S3Targets.TryGetValue("", out var only) ? only : null;
            if (target is not null)
            {
                S3Location location;
                try
                {
                    location = S3Location.Parse(target);
                }
                catch (FormatException ex)
                {
                    throw new InstallationRefusedException($"--s3-target for datasource {datasource.Name}: {ex.Message}");
                }

                endpoint = location.Endpoint;
                bucket = location.Bucket;
                prefix = location.Prefix;
                pathStyle = true;
            }

            string key, secret, hint;
            if (options.DatasourceCredentials.TryGet(datasource.Name, out var k, out var s))
            {
                (key, secret, hint) = (k, s, $"the line for {datasource.Name} in the --datasource-credentials file");
            }
            else if (configured is { ApiKey: { } apiKey, ApiSecret: { } apiSecret })
            {
                vault ??= await OpenVaultAsync(cancellationToken).ConfigureAwait(false);
                (key, secret, hint) = (apiKey, vault?.GetSecret(apiSecret) ?? apiSecret, $"the credentials of datasource {datasource.Name} in the snapshot's pydio.json and vault (or give them with --datasource-credentials FILE)");
            }
            else
            {
                throw new InstallationRefusedException($"S3 datasource {datasource.Name} has no credentials in the snapshot's pydio.json; give them with --datasource-credentials FILE (a line '{datasource.Name} ACCESS_KEY SECRET_KEY'). Nothing was changed.");
            }

            var where = $"{endpoint.GetLeftPart(UriPartial.Authority)}/{bucket}{(prefix.Length == 0 ? "" : "/" + prefix)}";
            var store = S3ObjectStore.Open(endpoint, bucket, datasource.Region, pathStyle, key, secret, $"S3 datasource {datasource.Name} ({where})", hint);
            store.OnRetry = line => log("WARNING: " + line);
            if (options.S3RetryDelays is { } delays)
            {
                store.RetryDelays = delays;
            }

            _targets.Add((datasource, store, prefix));
            if (await store.HasObjectsAsync(prefix.Length == 0 ? "" : prefix + "/", cancellationToken).ConfigureAwait(false))
            {
                occupied.Add($"the bucket of S3 datasource {datasource.Name} ({where})");
            }
        }

        return occupied;
    }

    /// <summary>Writes every object of every datasource; returns the problems (empty: all written and checked).</summary>
    public async Task<List<string>> RestoreAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var (datasource, store, prefix) in _targets)
        {
            var listing = S3ObjectListing.FromJson(await files.ReadAllAsync(datasource.Listing, cancellationToken).ConfigureAwait(false));
            var folder = SnapshotLayout.S3Objects + "/" + datasource.Name + "/";
            log($"S3 datasource {datasource.Name}: writing {listing.Objects.Count} objects to {store.Description}");
            long written = 0;
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(listing.Objects, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
            {
                var node = await files.FindAsync(folder + item.Path, ct).ConfigureAwait(false);
                if (node is null || node.Type != NodeType.File)
                {
                    failures.Add($"{item.Key} is missing from the snapshot");
                    return;
                }

                var key = Retarget(item.Key, listing.Prefix, prefix);
                var staged = await StageAsync(node, ct).ConfigureAwait(false);
                try
                {
                    var etag = await store.WriteAsync(key, () => Task.FromResult(staged.Open()), (long)node.Size, item.ContentType, item.Metadata, ct).ConfigureAwait(false);
                    if (IsMd5(item.ETag) && IsMd5(etag) && !string.Equals(etag, item.ETag, StringComparison.OrdinalIgnoreCase))
                    {
                        failures.Add($"{key} was written with ETag {etag}, not {item.ETag} as backed up");
                    }

                    Interlocked.Increment(ref written);
                }
                catch (IOException ex)
                {
                    failures.Add(ex.Message);
                }
                finally
                {
                    staged.Dispose();
                }
            }).ConfigureAwait(false);
            log($"S3 datasource {datasource.Name}: {written} of {listing.Objects.Count} objects written");
            if (!failures.IsEmpty)
            {
                problems.Add($"S3 datasource {datasource.Name}: {failures.Count} object(s) not restored ({string.Join("; ", failures.Take(3))}); run the same restore again with --force.");
            }
        }

        return problems;
    }

    public void Dispose()
    {
        foreach (var target in _targets)
        {
            target.Store.Dispose();
        }
    }

    private async Task<CellsVault?> OpenVaultAsync(CancellationToken cancellationToken)
    {
        if (manifest.VaultFile is null || manifest.KeyringFile is null)
        {
            return null;
        }

        byte[] vaultBytes, keyringBytes;
        try
        {
            vaultBytes = await files.ReadAllAsync(manifest.VaultFile, cancellationToken).ConfigureAwait(false);
            keyringBytes = await files.ReadAllAsync(manifest.KeyringFile, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return CellsVault.FromText(manifest.VaultFile, System.Text.Encoding.UTF8.GetString(vaultBytes), CellsKeyring.FromBytes(manifest.KeyringFile, keyringBytes));
    }

    /// <summary>The object's bytes, in memory when small, else in a temp file (a PUT needs a length and a stream it can read again).</summary>
    private async Task<StagedObject> StageAsync(Node node, CancellationToken cancellationToken)
    {
        await using var source = files.Restorer.OpenFile(node);
        if ((long)node.Size <= InMemoryLimit)
        {
            var buffer = new MemoryStream(checked((int)node.Size));
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new StagedObject(buffer.GetBuffer().AsMemory(0, (int)buffer.Length).ToArray(), null);
        }

        var path = Path.Combine(Path.GetTempPath(), "cellar-s3-" + Guid.NewGuid().ToString("N"));
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return new StagedObject(null, path);
    }

    private static string Retarget(string key, string from, string to)
    {
        var relative = from.Length == 0 ? key : key.StartsWith(from + "/", StringComparison.Ordinal) ? key[(from.Length + 1)..] : key;
        return to.Length == 0 ? relative : to + "/" + relative;
    }

    private static bool IsMd5(string etag) => etag.Length == 32 && etag.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;

    private sealed class StagedObject(byte[]? bytes, string? path) : IDisposable
    {
        public Stream Open() => bytes is not null ? new MemoryStream(bytes, writable: false) : File.OpenRead(path!);

        public void Dispose()
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }
}
