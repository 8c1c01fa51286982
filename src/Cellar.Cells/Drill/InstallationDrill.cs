using System.Diagnostics;
using Cellar.Cells.Bolt;
using Cellar.Cells.Consistency;
using Cellar.Cells.Installation;
using Cellar.Databases;
using Cellar.Databases.MySql;
using Cellar.Databases.Postgres;
using Cellar.Repository;
using Cellar.Repository.Archiving;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Cells.Drill;

/// <summary>
/// <c>cellar drill</c>: restores an installation snapshot into a scratch folder through the normal
/// restore (every path of the snapshot moved under the scratch folder, nothing written anywhere
/// else), loads its database into a private throwaway server, and proves it whole: every file read
/// back and hashed blob by blob against the snapshot, every BoltDB store verified, every table
/// dumped again and compared with the row count and digest recorded at backup time,
/// <c>pydio.json</c> parsed and pointing at what was restored, and the Cells consistency proof.
/// The result is saved as a small snapshot tagged <c>cellar-drill</c>.
/// </summary>
public sealed class InstallationDrill(ResticRepository repository, Snapshot snapshot, Id snapshotId, DrillOptions options)
{
    private readonly Action<string> _log = options.Log;

    // The relocated pydio.json is rewritten on purpose; its original is kept beside it and verified instead.
    private (string Path, string Kept)? _rewrittenConfig;

    public async Task<DrillReport> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var manifest = await InstallationRestore.ReadManifestAsync(repository, snapshot, cancellationToken).ConfigureAwait(false);
        var scratch = Path.GetFullPath(options.Scratch).TrimEnd('/');
        RefuseUnsafeScratch(manifest, scratch);
        Directory.CreateDirectory(scratch);
        var root = Path.Combine(scratch, "installation");
        var report = new DrillReport
        {
            SnapshotId = snapshotId.ToString(),
            CellsVersion = manifest.CellsVersion,
            StartedAt = DateTimeOffset.Now,
            Scratch = scratch,
        };

        IAsyncDisposable? server = null;
        try
        {
            string? dsn = options.ScratchDsn;
            if (manifest.DatabaseIncluded && dsn is null)
            {
                (server, dsn) = await StartScratchServerAsync(manifest, scratch, report, cancellationToken).ConfigureAwait(false);
            }

            var relocations = manifest.Paths.Select(p => p.Path).Append(manifest.WorkingDir).Append(manifest.DataDir)
                .Distinct().Select(p => (p, Relocated(root, p))).ToList();
            var clock = Stopwatch.StartNew();
            var filesDone = TimeSpan.Zero;
            var databaseDone = TimeSpan.Zero;
            var restoreOptions = new InstallationRestoreOptions
            {
                CellsDir = Relocated(root, manifest.WorkingDir),
                DataDir = Relocated(root, manifest.DataDir),
                DatabaseDsn = dsn,
                Moves = relocations,
                Log = line =>
                {
                    // The restore places the files, then loads the database: its log marks the boundary.
                    if (line.StartsWith("loading database", StringComparison.Ordinal))
                    {
                        filesDone = clock.Elapsed;
                    }
                    else if (line.StartsWith("database loaded", StringComparison.Ordinal))
                    {
                        databaseDone = clock.Elapsed;
                    }

                    _log(line);
                },
            };
            var restored = await new InstallationRestore(repository, snapshot, restoreOptions).RunAsync(cancellationToken).ConfigureAwait(false);
            var restoreEnd = clock.Elapsed;
            if (filesDone == TimeSpan.Zero)
            {
                filesDone = restoreEnd;
            }

            report.FilesSeconds = filesDone.TotalSeconds;
            report.DatabaseSeconds = databaseDone == TimeSpan.Zero ? 0 : (databaseDone - filesDone).TotalSeconds;
            report.RowsLoaded = restored.RowsLoaded;
            report.StoresVerified = restored.StoresVerified;
            report.Failures.AddRange(restored.Problems.Select(p => "restore: " + p));

            var verify = Stopwatch.StartNew();
            DatabaseDsn? scratchDsn = dsn is null ? null : DatabaseEngines.Parse(dsn, null);
            if (scratchDsn is not null && options.AfterLoad is { } hook)
            {
                await hook(scratchDsn, cancellationToken).ConfigureAwait(false);
            }

            await VerifyFilesAsync(manifest, root, restored.KeptOriginalConfig, report, cancellationToken).ConfigureAwait(false);
            VerifyStores(manifest, root, report);
            if (scratchDsn is not null)
            {
                await VerifyTablesAsync(manifest, scratchDsn, report, cancellationToken).ConfigureAwait(false);
            }

            VerifyConfig(manifest, root, restored.ConfigFile, scratchDsn, report);
            await ProveConsistencyAsync(manifest, root, scratchDsn, report, cancellationToken).ConfigureAwait(false);
            report.VerifySeconds = verify.Elapsed.TotalSeconds;
        }
        catch (Exception ex) when (ex is InstallationRefusedException or IOException or DatabaseException or RestoreException or UnauthorizedAccessException)
        {
            report.Failures.Add(ex.Message);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                _log("scratch database server stopped");
            }

            if (!options.Keep)
            {
                TryDelete(root);
                TryDelete(Path.Combine(scratch, "database"));
            }
        }

        report.TotalSeconds = total.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>Saves the report as a small snapshot tagged <c>cellar-drill</c>, <c>drilled=ID</c>, <c>passed</c> or <c>failed</c>, and <c>recover=SECONDSs</c>.</summary>
    public async Task<Id> SaveAsync(DrillReport report, CancellationToken cancellationToken)
    {
        var json = report.ToJson();
        var result = await new BackupJob(repository).RunAsync(new BackupRequest
        {
            VirtualFiles = [new VirtualFile(DrillTags.ReportPath, _ => ValueTask.FromResult<Stream>(new MemoryStream(json, writable: false)), FileModes.PublicFile)],
            Tags = [DrillTags.Tag, DrillTags.DrilledPrefix + snapshotId.ToString()[..8], report.Passed ? "passed" : "failed",
                DrillTags.RecoverPrefix + report.RecoverSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "s"],
            Hostname = snapshot.Hostname,
            Force = true,
        }, cancellationToken).ConfigureAwait(false);
        return result.SnapshotId;
    }

    /// <summary>Where a path of the installation goes under the scratch folder.</summary>
    public static string Relocated(string root, string path) => root + "/" + path.TrimStart('/');

    private static void RefuseUnsafeScratch(InstallationManifest manifest, string scratch)
    {
        var live = manifest.Paths.Select(p => p.Path)
            .Append(manifest.WorkingDir).Append(manifest.DataDir)
            .Concat(manifest.Datasources.Where(d => d.Folder is not null).Select(d => d.Folder!))
            .Distinct();
        foreach (var path in live)
        {
            if (IsUnder(scratch, path) || IsUnder(path, scratch))
            {
                throw new InstallationRefusedException(
                    $"the scratch folder {scratch} overlaps the installation's {path}: a drill never writes where the installation lives. Give --scratch a folder elsewhere.");
            }
        }

        if (Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any())
        {
            throw new InstallationRefusedException($"the scratch folder {scratch} is not empty: give an empty or new folder to --scratch.");
        }
    }

    /// <summary>A private throwaway server of the snapshot's engine, with the database created empty.</summary>
    private async Task<(IAsyncDisposable Server, string Dsn)> StartScratchServerAsync(InstallationManifest manifest, string scratch, DrillReport report, CancellationToken cancellationToken)
    {
        var engine = DatabaseEngines.Choose(manifest.Dsn);
        report.DatabaseEngine = engine.Name;
        var folder = Path.Combine(scratch, "database");
        switch (engine.Name)
        {
            case "mysql":
            {
                _log("starting a private MariaDB server for the drill");
                var (server, reason) = await PrivateMariaDb.TryStartAsync(folder, cancellationToken).ConfigureAwait(false);
                if (server is null)
                {
                    throw new InstallationRefusedException($"no scratch database server: {reason}. Or give --scratch-dsn with an empty database to load into.");
                }

                await server.ExecuteAsync($"CREATE DATABASE `{manifest.DatabaseName.Replace("`", "``", StringComparison.Ordinal)}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "", cancellationToken).ConfigureAwait(false);
                report.ScratchServer = "private MariaDB on " + server.Socket;
                return (server, server.Dsn(manifest.DatabaseName));
            }

            case "postgres":
            {
                _log("starting a private PostgreSQL server for the drill");
                var (server, reason) = await PrivatePostgres.TryStartAsync(folder, cancellationToken).ConfigureAwait(false);
                if (server is null)
                {
                    throw new InstallationRefusedException($"no scratch database server: {reason}. Or give --scratch-dsn with an empty database to load into.");
                }

                try
                {
                    await server.CreateDatabaseAsync(manifest.DatabaseName, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                report.ScratchServer = "private PostgreSQL on " + server.SocketFolder;
                return (server, server.Dsn(manifest.DatabaseName));
            }

            default:
                throw new InstallationRefusedException(
                    $"the drill has no private {engine.DisplayName} server: give --scratch-dsn naming an empty {engine.DisplayName} database inside the scratch space to load into.");
        }
    }

    /// <summary>Every restored file, read back blob by blob and hashed against the blob ids of the snapshot.</summary>
    private async Task VerifyFilesAsync(InstallationManifest manifest, string root, string? keptConfig, DrillReport report, CancellationToken cancellationToken)
    {
        _rewrittenConfig = keptConfig is null ? null : (manifest.ConfigFile, keptConfig);
        var sources = manifest.Paths.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var files = new SnapshotFiles(repository, snapshot.Tree!.Value);
        var buffer = new byte[1 << 20];
        foreach (var source in sources)
        {
            var node = await files.FindAsync(source, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                continue;
            }

            await VerifyNodeAsync(node, source, root, sources, report, buffer, cancellationToken).ConfigureAwait(false);
        }

        _log($"files: {report.FilesVerified} verified against the snapshot ({report.BytesRestored} bytes)");
    }

    private async Task VerifyNodeAsync(Node node, string path, string root, HashSet<string> sources, DrillReport report, byte[] buffer, CancellationToken cancellationToken)
    {
        if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
        {
            var tree = await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
            foreach (var child in tree.Nodes)
            {
                var childPath = path.TrimEnd('/') + "/" + child.Name;
                if (!sources.Contains(childPath))
                {
                    await VerifyNodeAsync(child, childPath, root, sources, report, buffer, cancellationToken).ConfigureAwait(false);
                }
            }

            return;
        }

        if (node.Type != NodeType.File)
        {
            return;
        }

        report.FilesRestored++;
        var target = _rewrittenConfig is { } config && config.Path == path ? config.Kept : Relocated(root, path);
        try
        {
            await using var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            long offset = 0;
            foreach (var blob in node.Content ?? [])
            {
                if (!repository.Index.TryLookup(blob, BlobType.Data, out var packed))
                {
                    report.Failures.Add($"file {path}: its data blob {blob.ToShortString()} is not in the index");
                    return;
                }

                var length = packed.PlaintextLength;
                if (buffer.Length < length)
                {
                    buffer = new byte[length];
                }

                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (Id.Hash(buffer.AsSpan(0, length)) != blob)
                {
                    report.Failures.Add($"file {path}: the restored content differs from the snapshot at bytes {offset}..{offset + length}");
                    return;
                }

                offset += length;
            }

            if (stream.Length != offset)
            {
                report.Failures.Add($"file {path}: restored with {stream.Length} bytes, the snapshot holds {offset}");
                return;
            }

            report.FilesVerified++;
            report.BytesRestored += offset;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            report.Failures.Add($"file {path}: not restored at {target} ({ex.Message})");
        }
    }

    private void VerifyStores(InstallationManifest manifest, string root, DrillReport report)
    {
        var verified = 0;
        foreach (var store in manifest.Stores.Where(s => s.Kind == "bolt" && s.StoredAt is not null))
        {
            var target = Relocated(root, store.Path);
            if (!File.Exists(target))
            {
                report.Failures.Add($"BoltDB store {store.Path} was not restored");
                continue;
            }

            var check = BoltVerifier.Verify(target);
            if (check.IsSound)
            {
                verified++;
            }
            else
            {
                report.Failures.Add($"BoltDB store {store.Path} is not sound after the restore: {string.Join("; ", check.Problems.Take(3))}");
            }
        }

        foreach (var store in manifest.Stores.Where(s => !s.IsSound))
        {
            report.Notes.Add($"{store.Kind} store {store.Path} was {store.Status} at backup time ({store.Detail})");
        }

        report.StoresVerified = verified;
        _log($"stores: {verified} BoltDB file(s) verified sound");
    }

    /// <summary>Each table dumped again from the scratch server: the same rows give the same bytes, so the digest recorded at backup time must match.</summary>
    private async Task VerifyTablesAsync(InstallationManifest manifest, DatabaseDsn dsn, DrillReport report, CancellationToken cancellationToken)
    {
        var sink = new DigestingDumpSink(null);
        var summary = await dsn.Engine.DumpAsync(dsn, sink, cancellationToken: cancellationToken).ConfigureAwait(false);
        var loaded = summary.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var table in manifest.Tables)
        {
            if (!loaded.TryGetValue(table.Name, out var now))
            {
                report.Failures.Add($"table {table.Name}: not in the scratch database after the load");
                continue;
            }

            if (now.Rows != table.Rows)
            {
                report.Failures.Add($"table {table.Name}: {now.Rows} rows after the load, {table.Rows} recorded at backup time");
                continue;
            }

            if (table.Sha256 is null)
            {
                report.Notes.Add($"table {table.Name}: no digest recorded at backup time (an older Cellar made this snapshot); row count checked");
            }
            else if (sink.Digests.GetValueOrDefault(now.StreamName) != table.Sha256)
            {
                report.Failures.Add($"table {table.Name}: its rows differ from the ones backed up (digest {sink.Digests.GetValueOrDefault(now.StreamName)?[..12]} after the load, {table.Sha256[..12]} recorded)");
                continue;
            }

            report.TablesVerified++;
        }

        _log($"database: {report.TablesVerified} of {manifest.Tables.Count} tables verified (rows and digest)");
    }

    private void VerifyConfig(InstallationManifest manifest, string root, string configFile, DatabaseDsn? dsn, DrillReport report)
    {
        PydioConfig config;
        try
        {
            config = PydioConfigReader.ReadFile(configFile);
        }
        catch (CellsConfigException ex)
        {
            report.Failures.Add($"pydio.json: {ex.Message}");
            return;
        }

        var ok = true;
        if (dsn is not null && !DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver).IsSameDatabase(dsn))
        {
            report.Failures.Add($"pydio.json: its database is {DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver)}, not the restored {dsn}");
            ok = false;
        }

        foreach (var ds in config.Datasources.Where(d => d.IsLocal && d.Folder is not null))
        {
            var backedUp = manifest.Datasources.FirstOrDefault(m => m.Name == ds.Name)?.BackedUp ?? false;
            if (backedUp && !IsUnder(ds.Folder!, root))
            {
                report.Failures.Add($"pydio.json: datasource {ds.Name} points at {ds.Folder}, outside the restored installation");
                ok = false;
            }
            else if (backedUp && !Directory.Exists(ds.Folder))
            {
                report.Failures.Add($"pydio.json: datasource {ds.Name} points at {ds.Folder}, which was not restored");
                ok = false;
            }
        }

        report.ConfigVerified = ok;
        _log($"pydio.json: {(ok ? "parses and points at the restored installation" : "does not point at the restored installation")}");
    }

    private async Task ProveConsistencyAsync(InstallationManifest manifest, string root, DatabaseDsn? dsn, DrillReport report, CancellationToken cancellationToken)
    {
        if (dsn is null)
        {
            report.Notes.Add("no database in the snapshot: the consistency proof did not run");
            return;
        }

        if (IndexReaders.For(dsn) is not { } reader)
        {
            report.Notes.Add($"the consistency proof did not run: Cellar cannot read datasource indexes from {dsn.Engine.DisplayName} yet");
            return;
        }

        var targets = manifest.Datasources.Where(d => d.BackedUp && d.Folder is not null && d.StorageType == "LOCAL" && !d.Internal)
            .Select(d => new ProofTarget(d.Name, Relocated(root, ToHost(manifest, d.Folder!)), d.FlatStorage));
        var proof = await ConsistencyProof.RunAsync(targets, reader, cancellationToken).ConfigureAwait(false);
        report.Consistency = proof.Datasources;
        foreach (var finding in proof.Findings)
        {
            if (finding.IsFailure)
            {
                report.Failures.Add("consistency: " + finding);
            }
            else
            {
                report.Notes.Add("consistency: " + finding);
            }
        }

        _log($"consistency: {proof.Datasources.Count} datasource(s), {proof.Failures.Count()} problem(s)");
    }

    /// <summary>A path as the configuration names it, translated by the backup's path map to where the snapshot holds it.</summary>
    private static string ToHost(InstallationManifest manifest, string configPath)
    {
        foreach (var map in manifest.PathMap.OrderByDescending(m => m.ConfigPath.Length))
        {
            if (IsUnder(configPath, map.ConfigPath))
            {
                return map.HostPath.TrimEnd('/') + configPath[map.ConfigPath.TrimEnd('/').Length..];
            }
        }

        return configPath;
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
