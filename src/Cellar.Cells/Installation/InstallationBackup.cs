using System.Diagnostics;
using System.Globalization;
using Cellar.Cells.Bolt;
using Cellar.Cells.ObjectStorage;
using Cellar.Cells.Running;
using Cellar.Repository;
using Cellar.Repository.Archiving;
using Cellar.Repository.Locking;
using Cellar.Repository.Platform;
using Cellar.Repository.Tagging;

namespace Cellar.Cells.Installation;

/// <summary>
/// Backs up a whole Cells installation as one snapshot: every planned path at its absolute
/// place, the database as per-table SQL under <see cref="SnapshotLayout.Database"/>, and a
/// manifest. Around a running Cells it either refuses, quiesces (pass 1 while Cells serves, then
/// stop → pass 2 with pass 1 as parent → start, the start always attempted), or copies hot
/// (every BoltDB copy verified, Bleve folders copied until stable or marked rebuildable).
/// </summary>
public sealed class InstallationBackup(ResticRepository repository, InstallationPlan plan, InstallationBackupOptions options)
{
    private readonly Action<string> _log = options.Log;

    public async Task<InstallationBackupResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.Now;
        var running = RunningState.Detect(plan.BoltFiles);
        if (running.IsRunning && options.Mode == BackupMode.Stopped)
        {
            throw new CellsRunningException(
                $"Cells is running ({Describe(running)}), and copying a running Cells stores torn BoltDB files. " +
                "Stop Cells first, or let Cellar stop it briefly: --systemd-unit cells (or --stop-command CMD --start-command CMD), " +
                "or copy it hot with --hot (stores verified as read; search indexes may need a rebuild).");
        }

        if (options.Mode == BackupMode.Quiesced && options.Service is null)
        {
            throw new ArgumentException("A quiesced backup needs stop and start commands.", nameof(options));
        }

        if (plan.DescribeMissing() is { } missing)
        {
            throw new InstallationRefusedException(missing);
        }

        var paths = plan.Paths.Where(p => p.Exists).Select(p => p.Path).ToList();
        var tags = new List<string> { SnapshotLayout.Tag };
        if (!string.IsNullOrEmpty(plan.CellsVersion))
        {
            tags.Add("cells-" + plan.CellsVersion);
        }

        tags.AddRange(options.ExtraTags.Where(t => !tags.Contains(t, StringComparer.Ordinal)));
        tags.AddRange(plan.LeftOut.Select(SnapshotLayout.LeftOutTag));
        if (options.Mode != BackupMode.Quiesced || !running.IsRunning)
        {
            if (options.Mode == BackupMode.Quiesced)
            {
                _log("Cells is not running: one pass, without stopping or starting it.");
            }

            var mode = options.Mode == BackupMode.Hot ? BackupMode.Hot : BackupMode.Stopped;
            var single = await FinalPassAsync(paths, tags, null, mode, clock, startedAt, null, null, cancellationToken).ConfigureAwait(false);
            return new InstallationBackupResult(single.Result.SnapshotId, single.Manifest, single.Result.Warnings, clock.Elapsed, TimeSpan.Zero, null);
        }

        var service = options.Service!;
        _log($"pass 1 of 2: copying {paths.Count} folder(s) while Cells serves");
        // The database must answer before Cells is stopped (and its client is warm when the moment is taken).
        var probe = options.SkipDatabaseBecause is null ? plan.Database.Engine.ProbeAsync(plan.Database, cancellationToken) : null;
        var first = await new BackupJob(repository).RunAsync(
            new BackupRequest { Paths = paths, Excludes = [.. ExcludedFolders(), .. DatabaseFileExcludes()], Tags = [SnapshotLayout.Tag, SnapshotLayout.PassOneTag], Hostname = options.Hostname },
            cancellationToken).ConfigureAwait(false);
        // Pass 2 reads pass 1's trees: the index must know the blobs pass 1 wrote.
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        _log($"pass 1 done in {Seconds(clock.Elapsed)}: {first.Statistics.FilesProcessed} files, {ByteSize.Format(first.Statistics.BytesProcessed)}");
        if (probe is not null)
        {
            try
            {
                await probe.ConfigureAwait(false);
            }
            catch
            {
                await DiscardPassSnapshotAsync(first.SnapshotId, "pass-1").ConfigureAwait(false);
                throw;
            }
        }

        var downtime = Stopwatch.StartNew();
        string? startFailure = null;
        (BackupResult Result, InstallationManifest Manifest) final;
        QuietPass? quiet = null;
        try
        {
            try
            {
                _log($"stopping Cells: {service.StopCommand}");
                var stopCode = await ShellCommand.RunAsync(service.StopCommand, _log, cancellationToken).ConfigureAwait(false);
                if (stopCode != 0)
                {
                    throw new InstallationRefusedException($"the stop command failed (exit code {stopCode}), so pass 2 did not run; check the command, then run the backup again.");
                }

                await WaitUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
                _log("pass 2 of 2: the database's moment, stores and changed files while Cells is stopped");
                quiet = await QuietPassAsync(paths, first.SnapshotId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _log($"starting Cells: {service.StartCommand}");
                try
                {
                    var startCode = await ShellCommand.RunAsync(service.StartCommand, _log, CancellationToken.None).ConfigureAwait(false);
                    if (startCode != 0)
                    {
                        startFailure = $"the start command '{service.StartCommand}' failed with exit code {startCode}: CELLS IS NOT RUNNING. Start it by hand now.";
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    startFailure = $"the start command '{service.StartCommand}' could not run ({ex.Message}): CELLS IS NOT RUNNING. Start it by hand now.";
                }

                downtime.Stop();
                if (startFailure is not null)
                {
                    _log("ERROR: " + startFailure);
                }
            }

            _log($"Cells serves again after {Seconds(downtime.Elapsed)}; the database is read from the moment it was stopped");
            // The final snapshot keeps pass 2's trees: the index must know the blobs pass 2 wrote.
            await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
            final = await FinalPassAsync(paths, tags, quiet.FilesSnapshot, BackupMode.Quiesced, clock, startedAt, downtime, quiet, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Pass 1 alone (no manifest, no database, no stores) is no installation backup: left
            // tagged as one, 'restore latest' would take it and forget policies would count it.
            await DiscardPassSnapshotAsync(first.SnapshotId, "pass-1").ConfigureAwait(false);
            if (quiet is not null)
            {
                await DiscardPassSnapshotAsync(quiet.FilesSnapshot, "pass-2").ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            if (quiet is not null)
            {
                await quiet.DisposeAsync().ConfigureAwait(false);
            }
        }

        _log($"Cells was stopped for {Seconds(downtime.Elapsed)} of {Seconds(clock.Elapsed)}");
        var id = await AddTagAsync(final.Result.SnapshotId, "downtime=" + downtime.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s", cancellationToken).ConfigureAwait(false);
        // The installation snapshot is saved: a lock held elsewhere (a reader, restic) only leaves
        // the two pass snapshots behind, said in a warning, and does not fail the backup.
        await DiscardPassSnapshotAsync(first.SnapshotId, "pass-1").ConfigureAwait(false);
        await DiscardPassSnapshotAsync(quiet.FilesSnapshot, "pass-2").ConfigureAwait(false);
        return new InstallationBackupResult(id, final.Manifest with { DowntimeSeconds = downtime.Elapsed.TotalSeconds }, final.Result.Warnings, clock.Elapsed, downtime.Elapsed, startFailure);
    }

    private async Task<(BackupResult Result, InstallationManifest Manifest)> FinalPassAsync(
        List<string> paths, List<string> tags, Id? parent, BackupMode mode, Stopwatch clock, DateTimeOffset startedAt, Stopwatch? downtime, QuietPass? quiet, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(options.StagingRoot ?? Path.GetTempPath(), "cellar-stage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        DatabaseStage? database = null;
        S3BackupStage? s3 = null;
        try
        {
            var virtualFiles = new List<VirtualFile>();
            var excludes = ExcludedFolders();
            excludes.AddRange(DatabaseFileExcludes());
            // The dump runs while the stores are verified (both belong to the stopped moment).
            string? skipped = options.SkipDatabaseBecause;
            Task<DatabaseStage>? dump = null;
            if (quiet is not null)
            {
                // Quiesced: the files, S3 objects and command outputs are in the pass-2 snapshot, the stores copied; the dump reads the held moment.
                dump = quiet.Database?.CompleteAsync(cancellationToken);
            }
            else if (skipped is null)
            {
                var dsn = plan.Database;
                _log($"dumping database {dsn.Database} ({plan.Database})");
                dump = DatabaseStage.DumpAsync(dsn, staging, cancellationToken);
            }

            List<ManifestStore> stores;
            try
            {
                stores = quiet is not null ? await Task.Run(() => VerifyQuietCopies(quiet.StoreCopies, virtualFiles), cancellationToken).ConfigureAwait(false)
                    : mode == BackupMode.Hot
                    ? await CopyStoresHotAsync(staging, virtualFiles, excludes, cancellationToken).ConfigureAwait(false)
                    : await Task.Run(VerifyStoresInPlace, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (dump is not null)
                {
                    try
                    {
                        (await dump.ConfigureAwait(false)).Dispose();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                    }
                }

                throw;
            }

            if (dump is not null)
            {
                database = await dump.ConfigureAwait(false);
                virtualFiles.AddRange(database.VirtualFiles());
                _log($"database: {database.Summary.Tables.Count} tables, {database.Summary.TotalRows} rows, {ByteSize.Format(database.Summary.TotalBytes)}");
            }
            else
            {
                _log($"database left out: {skipped}");
            }

            var s3Datasources = quiet?.S3Datasources;
            if (s3Datasources is null)
            {
                s3 = await BackUpS3Async(cancellationToken).ConfigureAwait(false);
                virtualFiles.AddRange(s3.Files);
                s3Datasources = s3.Datasources;
            }

            var commands = quiet is null ? AddDumpCommands(virtualFiles) : null;
            var mongo = plan.Config.MongoStores.Select(m => new ManifestMongoStore(m.Key, m.Dsn, m.Services, options.DumpCommands.Count > 0)).ToList();
            if (mongo.Count > 0)
            {
                _log(options.DumpCommands.Count > 0
                    ? $"MongoDB stores ({ManifestMongoStore.Describe(mongo)}): taken by the dump command(s) {string.Join(", ", options.DumpCommands.Select(c => c.Name))}"
                    : $"WARNING: MongoDB stores are not included ({ManifestMongoStore.Describe(mongo)}); add --dump-command mongo='mongodump --uri=URI --archive' to store them.");
            }

            var manifest = new InstallationManifest
            {
                CellsVersion = plan.CellsVersion,
                Hostname = options.Hostname ?? HostIdentity.Hostname,
                StartedAt = startedAt,
                Mode = mode.ToString().ToLowerInvariant(), // "stopped", "quiesced" or "hot"
                WorkingDir = plan.Locations.WorkingDir,
                DataDir = plan.Locations.DataDir,
                ConfigFile = plan.Locations.ConfigFile!,
                VaultFile = plan.Locations.VaultFile,
                KeyringFile = plan.Locations.KeyringFile,
                Paths = plan.Paths.Where(p => p.Exists).Select(p => new ManifestPath(p.Path, p.Role, Directory.Exists(p.Path)) { Origin = p.Origin, ConfigPath = p.ConfigPath }).ToList(),
                PathMap = plan.PathMap.Mappings.Select(m => new ManifestPathMapping(m.ConfigPath, m.HostPath)).ToList(),
                LeftOut = plan.LeftOut.Select(l => new ManifestLeftOut(l.Kind, l.Name, l.Reason, l.Datasource?.StorageType, l.Datasource?.Bucket, l.Datasource?.Endpoint)).ToList(),
                Dsn = plan.Database.ToString(),
                DatabaseEngine = plan.Database.Engine.Name,
                DatabaseName = plan.Database.Database,
                DatabaseServer = database?.Summary.ServerVersion,
                DatabaseIncluded = database is not null,
                DatabaseSkippedBecause = skipped,
                // A table dumped in key ranges has no single stream to digest: the drill checks its row count.
                Tables = database?.Summary.Tables.Select(t => new ManifestTable(t.Name, t.Rows, t.StreamName,
                    database.Digests.ContainsKey(Cellar.Databases.MySql.DumpFileNames.ForTablePart(t.Name, 1)) ? null : database.Digests.GetValueOrDefault(t.StreamName))).ToList() ?? [],
                Consistency = quiet is not null ? quiet.Consistency
                    : options.VerifyConsistency ? await ConsistencyAtBackup.RunAsync(plan, database is not null, _log, cancellationToken).ConfigureAwait(false) : null,
                Datasources = plan.Datasources.Select(d => new ManifestDatasource(
                    d.Name, d.StorageType, d.Folder, d.FlatStorage,
                    (d.IsLocal && d.Folder is not null && plan.LeftOut.All(l => l.Name != d.Name) && paths.Any(p => OsPathIsUnder(plan.PathMap.ToHost(d.Folder), p))) || s3Datasources.Any(x => x.Name == d.Name)) { Internal = d.Internal }).ToList(),
                Stores = stores,
                S3Datasources = s3Datasources,
                Warnings = plan.Warnings,
                MongoStores = mongo,
                Commands = options.DumpCommands.Select(c => new ManifestCommand(c.Name, c.SnapshotPath)).ToList(),
                Complete = stores.All(s => s.IsSound) && plan.LeftOut.Count == 0 && (mongo.Count == 0 || options.DumpCommands.Count > 0),
            };
            virtualFiles.Add(new VirtualFile(SnapshotLayout.Manifest, _ =>
            {
                // Sealed as late as the backup allows: durations so far (the final downtime is also tagged).
                var sealedManifest = manifest with
                {
                    BackupSeconds = clock.Elapsed.TotalSeconds,
                    DowntimeSeconds = downtime?.Elapsed.TotalSeconds ?? 0,
                };
                return ValueTask.FromResult<Stream>(new MemoryStream(sealedManifest.ToJson(), writable: false));
            }, FileModes.PublicFile));

            var finalTags = new List<string>(tags);
            if (!manifest.Complete)
            {
                finalTags.Add(SnapshotLayout.IncompleteTag);
            }

            var request = new BackupRequest
            {
                Paths = paths,
                VirtualFiles = virtualFiles,
                Excludes = excludes,
                Tags = finalTags,
                Hostname = options.Hostname,
                ParentSnapshot = parent,
                KeepParentNodes = quiet is not null,
            };
            var result = commands is null
                ? await new BackupJob(repository).RunAsync(request, cancellationToken).ConfigureAwait(false)
                : await RunCheckingCommandsAsync(request, commands, cancellationToken).ConfigureAwait(false);
            if (s3?.StageSnapshot is { } stage)
            {
                await S3DatasourceBackup.RemoveStageAsync(repository, stage, _log).ConfigureAwait(false);
                s3 = null;
            }

            var files = quiet?.FilesStatistics ?? result.Statistics;
            _log($"snapshot {result.SnapshotId.ToShortString()} saved: {files.FilesProcessed} files " +
                 $"({files.FilesNew} new, {files.FilesChanged} changed, {files.FilesUnmodified} unchanged), {ByteSize.Format(result.DataAdded + (quiet?.DataAdded ?? 0))} added");
            return (result, manifest with { BackupSeconds = clock.Elapsed.TotalSeconds, DowntimeSeconds = downtime?.Elapsed.TotalSeconds ?? 0 });
        }
        finally
        {
            database?.Dispose();
            if (s3?.StageSnapshot is { } stage)
            {
                await S3DatasourceBackup.RemoveStageAsync(repository, stage, _log).ConfigureAwait(false);
            }

            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// What a quiesced backup must do while Cells is stopped, and nothing more: hold the database's
    /// moment (its rows are read after Cells starts again), verify the stores in place, take the S3
    /// datasources and the dump commands' output, run the consistency proof when asked, and store
    /// every changed file (pass 1 as parent) in a pass-2 snapshot whose nodes the final snapshot keeps.
    /// </summary>
    private async Task<QuietPass> QuietPassAsync(List<string> paths, Id passOne, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(options.StagingRoot ?? Path.GetTempPath(), "cellar-stage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        DatabaseStage.Held? database = null;
        S3BackupStage? s3 = null;
        try
        {
            // Nothing writes while Cells is stopped, so the database's moment, the copies of the stores
            // and the pass-2 file scan are taken side by side: each sees the same stopped state.
            var quiet = Stopwatch.StartNew();
            Task<DatabaseStage.Held>? holding = null;
            if (options.SkipDatabaseBecause is null)
            {
                _log($"holding the moment of database {plan.Database.Database} ({plan.Database})");
                holding = DatabaseStage.HoldAsync(plan.Database, staging, cancellationToken);
            }

            // The stores are copied as they lie (nothing writes them now); the copies are verified and stored after Cells starts again.
            var excludes = new List<ExcludePattern>([.. ExcludedFolders(), .. DatabaseFileExcludes()]);
            var stores = StoresToCopy();
            excludes.AddRange(stores.Select(store => new ExcludePattern(Escape(store.Path))));
            var copying = Task.Run(() => CopyStoresQuiet(staging, stores), cancellationToken);
            try
            {
                if (holding is not null)
                {
                    database = await holding.ConfigureAwait(false);
                    _log($"database moment held after {Seconds(quiet.Elapsed)}");
                }
            }
            catch
            {
                await ((Task)copying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            var virtualFiles = new List<VirtualFile>();
            s3 = await BackUpS3Async(cancellationToken).ConfigureAwait(false);
            virtualFiles.AddRange(s3.Files);
            var commands = AddDumpCommands(virtualFiles);
            var request = new BackupRequest
            {
                Paths = paths,
                VirtualFiles = virtualFiles,
                Excludes = excludes,
                Tags = [SnapshotLayout.Tag, SnapshotLayout.PassOneTag],
                Hostname = options.Hostname,
                ParentSnapshot = passOne,
            };
            BackupResult files;
            try
            {
                files = await RunCheckingCommandsAsync(request, commands, cancellationToken).ConfigureAwait(false);
                _log($"pass-2 snapshot saved after {Seconds(quiet.Elapsed)}");
            }
            finally
            {
                await ((Task)copying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            var storeCopies = await copying.ConfigureAwait(false);
            _log($"stores copied after {Seconds(quiet.Elapsed)}");
            if (s3.StageSnapshot is { } stage)
            {
                await S3DatasourceBackup.RemoveStageAsync(repository, stage, _log).ConfigureAwait(false);
            }

            var consistency = options.VerifyConsistency ? await ConsistencyAtBackup.RunAsync(plan, database is not null, _log, cancellationToken).ConfigureAwait(false) : null;
            return new QuietPass(files.SnapshotId, files.Statistics, files.DataAdded, storeCopies, s3.Datasources, consistency, database, staging);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }

            if (s3?.StageSnapshot is { } stage)
            {
                await S3DatasourceBackup.RemoveStageAsync(repository, stage, _log).ConfigureAwait(false);
            }

            QuietPass.DeleteStaging(staging);
            throw;
        }
    }

    private Task<S3BackupStage> BackUpS3Async(CancellationToken cancellationToken)
    {
        // S3 datasources are listed after the database's moment is taken, so every object the dump names was there at that moment.
        var access = new S3DatasourceAccess(plan.Locations.VaultFile, plan.Locations.KeyringFile, options.DatasourceCredentials) { RetryDelays = options.S3RetryDelays };
        return new S3DatasourceBackup(repository, plan.Datasources.Where(d => plan.LeftOut.All(l => l.Name != d.Name)).ToList(), access, options.Hostname, _log).RunAsync(cancellationToken);
    }

    /// <summary>One virtual file per dump command, its output streamed in as the backup reads it; returns where each result lands.</summary>
    private System.Collections.Concurrent.ConcurrentDictionary<string, (long Bytes, int ExitCode)> AddDumpCommands(List<VirtualFile> virtualFiles)
    {
        var finished = new System.Collections.Concurrent.ConcurrentDictionary<string, (long Bytes, int ExitCode)>(StringComparer.Ordinal);
        foreach (var source in options.DumpCommands)
        {
            virtualFiles.Add(new VirtualFile(source.SnapshotPath, _ =>
            {
                _log($"running dump command {source.Name} into {source.SnapshotPath}");
                return ValueTask.FromResult<Stream>(CommandOutputStream.Start(source, _log, (s, bytes, code) => finished[s.Name] = (bytes, code)));
            }));
        }

        return finished;
    }

    /// <summary>
    /// The backup job, failed (no snapshot left) when a dump command failed or its output was not read whole:
    /// a partial dump stored as if it were whole would be found missing only at restore time.
    /// </summary>
    private async Task<BackupResult> RunCheckingCommandsAsync(BackupRequest request, System.Collections.Concurrent.ConcurrentDictionary<string, (long Bytes, int ExitCode)> commands, CancellationToken cancellationToken)
    {
        BackupResult result;
        try
        {
            result = await new BackupJob(repository).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CommandSourceFailedException && (ex.InnerException ?? ex.GetBaseException()) is CommandSourceFailedException failed)
        {
            throw new CommandSourceFailedException(failed.Message);
        }

        var unfinished = options.DumpCommands.Where(c => !commands.TryGetValue(c.Name, out var done) || done.ExitCode != 0).ToList();
        if (unfinished.Count > 0)
        {
            await repository.RemoveSnapshotAsync(result.SnapshotId, CancellationToken.None).ConfigureAwait(false);
            throw new CommandSourceFailedException(
                $"the output of the dump command {unfinished[0].Name} could not be stored whole, so the snapshot was removed; run the command by hand to see why, then run the backup again.");
        }

        foreach (var source in options.DumpCommands)
        {
            _log($"dump command {source.Name}: {ByteSize.Format(commands[source.Name].Bytes)} stored at {source.SnapshotPath}");
        }

        return result;
    }

    /// <summary>
    /// Cells is stopped: every BoltDB file and Bleve folder is copied into staging as it lies (no
    /// writer can tear it) and left out of the walk; <see cref="VerifyQuietCopies"/> checks and stores
    /// the copies once Cells serves again.
    /// </summary>
    /// <summary>The Bleve folders and the BoltDB files outside them, each copied whole while Cells is stopped.</summary>
    private List<(string Path, string Kind)> StoresToCopy() =>
        plan.BleveFolders.Select(f => (Path: f, Kind: "bleve"))
            .Concat(plan.BoltFiles.Where(f => !plan.BleveFolders.Any(b => OsPathIsUnder(f, b))).Select(f => (Path: f, Kind: "bolt")))
            .ToList();

    private static List<StoreCopy> CopyStoresQuiet(string staging, List<(string Path, string Kind)> stores)
    {
        var copies = new List<StoreCopy>();
        var root = Path.Combine(staging, "stores");
        foreach (var store in stores)
        {
            if (!Posix.TryStat(RawPath.FromString(store.Path), out var status))
            {
                copies.Add(new StoreCopy(store.Path, store.Kind, null, default, []));
                continue;
            }

            var destination = Path.Combine(root, store.Path.TrimStart('/'));
            var files = new List<(string Relative, FileStatus Status)>();
            if (store.Kind == "bolt")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(store.Path, destination);
                files.Add(("", status));
            }
            else
            {
                foreach (var file in Directory.EnumerateFiles(store.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
                {
                    var relative = Path.GetRelativePath(store.Path, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(destination, relative))!);
                    File.Copy(file, Path.Combine(destination, relative));
                    files.Add((relative, Posix.TryStat(RawPath.FromString(file), out var fileStatus) ? fileStatus : status));
                }
            }

            copies.Add(new StoreCopy(store.Path, store.Kind, destination, status, files));
        }

        return copies;
    }

    /// <summary>The quiet copies of the stores checked (each BoltDB file by the verifier) and offered to the snapshot under <see cref="SnapshotLayout.HotStores"/>.</summary>
    private List<ManifestStore> VerifyQuietCopies(IReadOnlyList<StoreCopy> copies, List<VirtualFile> virtualFiles)
    {
        var stores = new List<ManifestStore>();
        foreach (var copy in copies)
        {
            if (copy.Copy is null)
            {
                stores.Add(new ManifestStore(copy.Path, copy.Kind, "missing"));
                continue;
            }

            var storedAt = SnapshotLayout.HotStorePath(copy.Path);
            var status = "unchanged";
            string? detail = null;
            foreach (var (relative, fileStatus) in copy.Files)
            {
                var file = relative.Length == 0 ? copy.Copy : Path.Combine(copy.Copy, relative);
                var original = relative.Length == 0 ? copy.Path : Path.Combine(copy.Path, relative);
                if (plan.BoltFiles.Contains(original))
                {
                    var check = BoltVerifier.Verify(file);
                    status = status == "torn" ? status : check.IsSound ? "verified" : "torn";
                    if (!check.IsSound)
                    {
                        detail = $"{original} unsound on disk while Cells was stopped (stored as it is): " + string.Join("; ", check.Problems.Take(3));
                        _log($"WARNING: {detail}");
                    }
                }

                var path = relative.Length == 0 ? storedAt : storedAt + "/" + relative.Replace('\\', '/');
                virtualFiles.Add(new VirtualFile(path, _ => ValueTask.FromResult<Stream>(File.OpenRead(file)), fileStatus.Permissions, fileStatus.ModifyTime.ToDateTimeOffset()));
            }

            var s = copy.Status;
            stores.Add(new ManifestStore(copy.Path, copy.Kind, copy.Kind == "bolt" ? status : status == "torn" ? "torn" : "unchanged", storedAt, detail, s.Uid, s.Gid, s.Permissions, s.ModifyTime.TotalNanoseconds));
        }

        _log($"stores: {stores.Count(s => s.Status == "verified")} of {plan.BoltFiles.Count(f => !plan.BleveFolders.Any(b => OsPathIsUnder(f, b)))} BoltDB file(s) copied while Cells was stopped and verified sound, " +
             $"{stores.Count(s => s.Kind == "bleve" && s.Status == "unchanged")} Bleve folder(s) copied");
        return stores;
    }

    /// <summary>Cells is stopped: every BoltDB file is verified where it lies; Bleve folders are quiet.</summary>
    private List<ManifestStore> VerifyStoresInPlace()
    {
        var stores = new List<ManifestStore>();
        foreach (var file in plan.BoltFiles)
        {
            if (!File.Exists(file))
            {
                stores.Add(new ManifestStore(file, "bolt", "missing"));
                continue;
            }

            var check = BoltVerifier.Verify(file);
            if (check.IsSound)
            {
                stores.Add(new ManifestStore(file, "bolt", "verified", file));
            }
            else
            {
                var detail = "unsound on disk while Cells was stopped (stored as it is): " + string.Join("; ", check.Problems.Take(3));
                _log($"WARNING: {file}: {detail}");
                stores.Add(new ManifestStore(file, "bolt", "torn", file, detail));
            }
        }

        stores.AddRange(plan.BleveFolders.Select(f => new ManifestStore(f, "bleve", Directory.Exists(f) ? "unchanged" : "missing", f)));
        _log($"stores: {stores.Count(s => s.Status == "verified")} of {plan.BoltFiles.Count} BoltDB file(s) verified sound");
        return stores;
    }

    /// <summary>
    /// Cells may be writing: BoltDB files and Bleve folders are left out of the walk and stored
    /// from verified staging copies under <see cref="SnapshotLayout.HotStores"/>.
    /// </summary>
    private async Task<List<ManifestStore>> CopyStoresHotAsync(string staging, List<VirtualFile> virtualFiles, List<ExcludePattern> excludes, CancellationToken cancellationToken)
    {
        var stores = new List<ManifestStore>();
        var copies = Path.Combine(staging, "stores");
        foreach (var folder in plan.BleveFolders)
        {
            excludes.Add(new ExcludePattern(Escape(folder)));
            stores.Add(await CopyBleveAsync(folder, copies, virtualFiles, cancellationToken).ConfigureAwait(false));
        }

        foreach (var file in plan.BoltFiles.Where(f => !plan.BleveFolders.Any(b => OsPathIsUnder(f, b))))
        {
            excludes.Add(new ExcludePattern(Escape(file)));
            if (!Posix.TryStat(RawPath.FromString(file), out var status))
            {
                stores.Add(new ManifestStore(file, "bolt", "missing"));
                continue;
            }

            var destination = Path.Combine(copies, file.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var (copy, attempts, problem) = await HotBoltCopier.CopyVerifiedAsync(file, destination, options.HotRetries, cancellationToken).ConfigureAwait(false);
            var storedAt = SnapshotLayout.HotStorePath(file);
            if (copy is null)
            {
                var detail = $"no sound copy in {attempts} reads (last: {problem}); NOT stored";
                _log($"WARNING: {file}: {detail}");
                stores.Add(new ManifestStore(file, "bolt", "torn", null, detail, status.Uid, status.Gid, status.Permissions, status.ModifyTime.TotalNanoseconds));
                continue;
            }

            virtualFiles.Add(new VirtualFile(storedAt, _ => ValueTask.FromResult<Stream>(File.OpenRead(copy)), status.Permissions, status.ModifyTime.ToDateTimeOffset()));
            stores.Add(new ManifestStore(file, "bolt", "verified", storedAt, attempts > 1 ? $"sound on read {attempts}" : null, status.Uid, status.Gid, status.Permissions, status.ModifyTime.TotalNanoseconds));
        }

        _log($"stores: {stores.Count(s => s.Status == "verified")} BoltDB copies verified sound, {stores.Count(s => s.Status == "torn")} never sound, " +
             $"{stores.Count(s => s.Status == "rebuildable")} Bleve folder(s) to rebuild");
        return stores;
    }

    private async Task<ManifestStore> CopyBleveAsync(string folder, string copies, List<VirtualFile> virtualFiles, CancellationToken cancellationToken)
    {
        if (!Posix.TryStat(RawPath.FromString(folder), out var status))
        {
            return new ManifestStore(folder, "bleve", "missing");
        }

        var storedAt = SnapshotLayout.HotStorePath(folder);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var destination = Path.Combine(copies, folder.TrimStart('/') + ".try" + attempt);
            var before = BleveFingerprint.Take(folder);
            var files = new List<(string Relative, string Copy, FileStatus Status)>();
            var sound = true;
            foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                var relative = Path.GetRelativePath(folder, file);
                var copy = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                if (!Posix.TryStat(RawPath.FromString(file), out var fileStatus))
                {
                    sound = false;
                    break;
                }

                if (plan.BoltFiles.Contains(file))
                {
                    var (verified, _, _) = await HotBoltCopier.CopyVerifiedAsync(file, copy, options.HotRetries, cancellationToken).ConfigureAwait(false);
                    sound &= verified is not null;
                }
                else
                {
                    try
                    {
                        File.Copy(file, copy, overwrite: true);
                    }
                    catch (FileNotFoundException)
                    {
                        sound = false;
                    }
                }

                files.Add((relative, copy, fileStatus));
            }

            if (sound && BleveFingerprint.Take(folder) == before)
            {
                foreach (var (relative, copy, fileStatus) in files)
                {
                    virtualFiles.Add(new VirtualFile(storedAt + "/" + relative.Replace('\\', '/'), _ => ValueTask.FromResult<Stream>(File.OpenRead(copy)), fileStatus.Permissions, fileStatus.ModifyTime.ToDateTimeOffset()));
                }

                return new ManifestStore(folder, "bleve", "unchanged", storedAt, attempt > 1 ? $"stable on copy {attempt}" : null, status.Uid, status.Gid, status.Permissions, status.ModifyTime.TotalNanoseconds);
            }
        }

        _log($"WARNING: {folder} kept changing while copied; marked rebuildable (Cells rebuilds it)");
        return new ManifestStore(folder, "bleve", "rebuildable", null, "changed under three copies; not stored, Cells must rebuild it", status.Uid, status.Gid, status.Permissions, status.ModifyTime.TotalNanoseconds);
    }

    /// <summary>Folders of datasources left out with --exclude-datasource that lie inside a backed-up folder.</summary>
    private List<ExcludePattern> ExcludedFolders() => plan.ExcludedFolders.Select(f => new ExcludePattern(Escape(f))).ToList();

    private async Task DiscardPassSnapshotAsync(Id snapshotId, string pass)
    {
        try
        {
            await repository.RemoveSnapshotAsync(snapshotId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or RepositoryLockedException)
        {
            _log($"WARNING: the {pass} snapshot {snapshotId.ToShortString()} could not be removed ({ex.Message}); remove it with 'cellar forget {snapshotId.ToShortString()}'.");
        }
    }

    private async Task WaitUntilStoppedAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var state = RunningState.Detect(plan.BoltFiles);
            if (!state.IsRunning)
            {
                return;
            }

            if (waited.Elapsed > options.StopTimeout)
            {
                throw new InstallationRefusedException(
                    $"Cells still runs {Seconds(waited.Elapsed)} after the stop command ({Describe(state)}), so pass 2 did not run; check the stop command.");
            }

            // Every poll is downtime already spent: look again soon (a check is a few stat and flock calls).
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Id> AddTagAsync(Id snapshotId, string tag, CancellationToken cancellationToken)
    {
        var snapshot = await repository.LoadSnapshotAsync(snapshotId, cancellationToken).ConfigureAwait(false);
        var changed = await SnapshotTagger.ApplyAsync(repository, [snapshot], new TagChange([], [tag], []), cancellationToken).ConfigureAwait(false);
        return changed.Count > 0 ? changed[0].New : snapshotId;
    }

    internal static string Describe(RunningState state)
    {
        var parts = new List<string>();
        var held = state.HeldStores.ToList();
        if (held.Count > 0)
        {
            parts.Add($"{held.Count} BoltDB file(s) locked for writing, e.g. {held[0]}");
        }

        if (state.CellsProcesses.Count > 0)
        {
            parts.Add($"cells process {string.Join(", ", state.CellsProcesses)}");
        }

        return string.Join("; ", parts);
    }

    private static bool OsPathIsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>A database kept in one file (SQLite) is taken by its engine's backup API, never walked as a file being written.</summary>
    private List<ExcludePattern> DatabaseFileExcludes() =>
        plan.Database.LocalFile is { } file ? new[] { "", "-wal", "-shm", "-journal" }.Select(suffix => new ExcludePattern(Escape(file + suffix))).ToList() : [];

    private static string Escape(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length + 4);
        foreach (var c in path)
        {
            if (c is '*' or '?' or '[' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
