using System.Text;
using Cellar.Cells.Bolt;
using Cellar.Cells.ObjectStorage;
using Cellar.Databases;
using Cellar.Repository;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Restoring;
using Cellar.Repository.Storage;

namespace Cellar.Cells.Installation;

/// <summary>
/// Puts an installation snapshot back: every path where it was (or where relocation says), with
/// owners, modes and times; hot store copies in their places; pydio.json rewritten when anything
/// moved (the original kept beside it); the database loaded into the DSN of the restored
/// pydio.json; every stored BoltDB file verified again. Refuses, changing nothing, when a target
/// is not empty or the database has tables, unless forced.
/// </summary>
public sealed class InstallationRestore(ResticRepository repository, Snapshot snapshot, InstallationRestoreOptions options)
{
    private readonly Action<string> _log = options.Log;

    /// <summary>Reads the manifest of an installation snapshot; throws <see cref="InstallationRefusedException"/> for other snapshots.</summary>
    public static async Task<InstallationManifest> ReadManifestAsync(ResticRepository repository, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var files = new SnapshotFiles(repository, snapshot.Tree ?? throw new InstallationRefusedException($"snapshot {snapshot.Id.ToShortString()} has no tree; the repository is damaged."));
        try
        {
            return InstallationManifest.FromJson(await files.ReadAllAsync(SnapshotLayout.Manifest, cancellationToken).ConfigureAwait(false));
        }
        catch (FileNotFoundException)
        {
            throw new InstallationRefusedException(
                $"snapshot {snapshot.Id.ToShortString()} is not a Cells installation snapshot (it has no {SnapshotLayout.Manifest}); restore it with --target DIR.");
        }
    }

    public async Task<InstallationRestoreResult> RunAsync(CancellationToken cancellationToken)
    {
        Posix.EnsureSupported();
        var files = new SnapshotFiles(repository, snapshot.Tree!.Value);
        var manifest = await ReadManifestAsync(repository, snapshot, cancellationToken).ConfigureAwait(false);
        var relocation = Relocation(manifest);
        var units = Units(manifest, relocation);
        var hotStores = manifest.Stores.Where(s => s.StoredAt is { } at && at.StartsWith(SnapshotLayout.HotStores + "/", StringComparison.Ordinal)).ToList();

        // Everything is checked before anything is written.
        var occupied = units.Select(u => u.Target).Concat(hotStores.Select(s => Map(relocation, s.Path))).Where(IsOccupied).Distinct().ToList();
        DatabaseDsn? dsn = null;
        if (manifest.DatabaseIncluded)
        {
            dsn = await TargetDsnAsync(files, manifest, cancellationToken).ConfigureAwait(false);
        }

        foreach (var command in options.RestoreCommands)
        {
            if (await files.FindAsync(command.SnapshotPath, cancellationToken).ConfigureAwait(false) is not { Type: Repository.Model.NodeType.File })
            {
                var stored = manifest.Commands.Select(c => c.Name).ToList();
                throw new InstallationRefusedException(
                    $"snapshot {snapshot.Id.ToShortString()} holds no output of a dump command named {command.Name} " +
                    $"({(stored.Count == 0 ? "it holds none" : "it holds " + string.Join(", ", stored))}); nothing was changed.");
            }
        }

        var tables = 0;
        if (dsn is not null)
        {
            try
            {
                tables = await dsn.Engine.CountTablesAsync(dsn, cancellationToken).ConfigureAwait(false);
            }
            catch (DatabaseException ex)
            {
                throw new InstallationRefusedException(
                    $"the database server of {dsn} cannot be reached ({ex.Message}); start it (or give --db-dsn), then restore again. Nothing was changed.");
            }
        }

        using var s3 = new S3DatasourceRestore(files, manifest, options, _log);
        List<string> occupiedBuckets;
        try
        {
            occupiedBuckets = await s3.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw new InstallationRefusedException($"{ex.Message.TrimEnd('.')}. Nothing was changed.");
        }

        if (!options.Force && (occupied.Count > 0 || tables > 0 || occupiedBuckets.Count > 0))
        {
            var why = new List<string>();
            if (occupiedBuckets.Count > 0)
            {
                why.Add($"{string.Join(", ", occupiedBuckets)} already {(occupiedBuckets.Count == 1 ? "holds" : "hold")} objects");
            }

            if (occupied.Count > 0)
            {
                why.Add($"{string.Join(", ", occupied)} {(occupied.Count == 1 ? "is" : "are")} not empty");
            }

            if (tables > 0)
            {
                why.Add($"database {dsn!.Database} already has {tables} table(s)");
            }

            throw new InstallationRefusedException(
                $"refusing to restore over an existing installation: {string.Join("; ", why)}. Nothing was changed. " +
                "Move them away (or restore elsewhere with --cells-dir), or pass --force to overwrite.");
        }

        var problems = new List<string>();
        var placed = new List<(string From, string To)>();
        var createdParents = units.Where(u => u.Target == u.SnapshotPath)
            .SelectMany(u => Ancestors(u.Target))
            .Where(a => !Directory.Exists(a))
            .Distinct()
            .OrderByDescending(a => a.Length)
            .ToList();
        foreach (var unit in units)
        {
            _log($"restoring {unit.SnapshotPath} to {unit.Target}");
            var node = await files.FindAsync(unit.SnapshotPath, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                problems.Add($"{unit.SnapshotPath} is missing from the snapshot.");
                continue;
            }

            await PlaceAsync(files, node, unit.Target, unit.Excludes, problems, cancellationToken).ConfigureAwait(false);
            placed.Add((unit.SnapshotPath, unit.Target));
        }

        // Folders the restore had to create above the paths (e.g. the parent of an external
        // datasource) get their owner, mode and times from the snapshot too, deepest first.
        foreach (var parent in createdParents)
        {
            if (await files.FindAsync(parent, cancellationToken).ConfigureAwait(false) is { IsDirectory: true } parentNode && Directory.Exists(parent))
            {
                NodeMetadata.ApplyToPath(parent, parentNode, Posix.IsRoot);
            }
        }

        foreach (var store in hotStores)
        {
            var target = Map(relocation, store.Path);
            _log($"placing the verified copy of {store.Path} at {target}");
            var node = await files.FindAsync(store.StoredAt!, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                problems.Add($"the copy of {store.Path} is missing from the snapshot.");
                continue;
            }

            await PlaceAsync(files, node, target, [], problems, cancellationToken).ConfigureAwait(false);
            if (Posix.IsRoot && store.Uid is { } uid && store.Gid is { } gid)
            {
                ChownTree(target, uid, gid);
            }
        }

        var configFile = Map(relocation, manifest.ConfigFile);
        string? kept = null;
        var configRelocation = ConfigRelocationFor(manifest, relocation);
        var (cleared, toCheck) = File.Exists(configFile) ? NewHostReport(configFile, configRelocation) : ([], []);
        if (configRelocation.ChangesAnything && File.Exists(configFile))
        {
            kept = await ConfigRelocator.RelocateFileAsync(configFile, configRelocation, cancellationToken).ConfigureAwait(false);
            _log($"rewrote {configFile} for the new place (original kept as {kept})");
            if (cleared.Count > 0)
            {
                _log($"removed PeerAddress from {string.Join(", ", cleared)}: on a new host Cells would ignore them");
            }
        }

        long tablesLoaded = 0, rowsLoaded = 0;
        if (dsn is not null)
        {
            _log($"loading database {dsn.Database} ({manifest.Tables.Count} tables)");
            try
            {
                var summary = await dsn.Engine.RestoreAsync(dsn, new SnapshotDumpSource(files), new Cellar.Databases.RestoreOptions { Force = options.Force }, cancellationToken).ConfigureAwait(false);
                tablesLoaded = summary.Tables.Count;
                rowsLoaded = summary.TotalRows;
                _log($"database loaded: {tablesLoaded} tables, {rowsLoaded} rows");
            }
            catch (Exception ex) when (ex is RestoreException or DatabaseException or MySqlConnector.MySqlException or IOException or FormatException)
            {
                // The files are already in place: say so, and how to finish, rather than stop with a bare database error.
                problems.Add($"the database {dsn.Database} could not be loaded ({ex.Message}). The files are in place; " +
                             "solve the database problem, then run the same restore again with --force (it replaces the files and the tables).");
            }
        }
        else
        {
            _log($"no database in this snapshot ({manifest.DatabaseSkippedBecause ?? "not included"})");
        }

        problems.AddRange(await s3.RestoreAsync(cancellationToken).ConfigureAwait(false));

        foreach (var command in options.RestoreCommands)
        {
            _log($"feeding {command.SnapshotPath} to the restore command {command.Name}");
            await using var stored = await files.OpenAsync(command.SnapshotPath, cancellationToken).ConfigureAwait(false);
            var code = await CommandInput.RunAsync(command, stored, _log, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                problems.Add($"the restore command {command.Name} exited with code {code}; the files and the database are in place. " +
                             $"Fix the command and run it alone on the stored output: cellar restore {snapshot.Id.ToShortString()}:{SnapshotLayout.Commands} --target DIR, then CMD < DIR/{command.Name}.");
            }
        }

        var verified = 0;
        foreach (var store in manifest.Stores.Where(s => s.Kind == "bolt" && s.StoredAt is not null))
        {
            var target = Map(relocation, store.Path);
            if (!File.Exists(target))
            {
                problems.Add($"BoltDB file {target} was not restored.");
                continue;
            }

            var check = BoltVerifier.Verify(target, cancellationToken);
            if (check.IsSound)
            {
                verified++;
            }
            else if (store.Status == "verified")
            {
                problems.Add($"BoltDB file {target} is not sound after the restore: {string.Join("; ", check.Problems.Take(3))}.");
            }
            else
            {
                _log($"WARNING: {target} was already unsound when backed up ({store.Detail}).");
            }
        }

        _log($"{verified} BoltDB file(s) verified sound after the restore");
        foreach (var store in manifest.Stores.Where(s => s.Status is "rebuildable" || (s.Status is "torn" && s.Kind != "bolt")))
        {
            _log($"NOTE: {store.Path} was not stored ({store.Detail}); Cells rebuilds {(store.Kind == "bleve" ? "this index" : "what it can")} on start.");
        }

        return new InstallationRestoreResult(manifest, placed, configFile, kept, tablesLoaded, rowsLoaded, verified, problems)
        {
            ClearedPeerAddresses = configRelocation.ChangesAnything ? cleared : [],
            ToCheck = configRelocation.ChangesAnything ? toCheck : [],
        };
    }

    /// <summary>
    /// The rewrite of pydio.json for the host moves: folders the backup saw through a path map keep
    /// the configuration's (container's) path, since the container still sees them there; every
    /// other move is written. PeerAddress goes on a new host and whenever anything moved.
    /// </summary>
    private ConfigRelocation ConfigRelocationFor(InstallationManifest manifest, ConfigRelocation relocation)
    {
        var backupMap = new PathMap(manifest.PathMap.Select(m => new PathMapping(m.ConfigPath, m.HostPath)));
        var folders = new List<(string From, string To)>();
        foreach (var (from, to) in relocation.Folders)
        {
            if (backupMap.IsMapped(from))
            {
                _log($"pydio.json keeps {backupMap.ToConfig(from)} (the path inside the container): mount {to} there");
            }
            else
            {
                folders.Add((from, to));
            }
        }

        return new ConfigRelocation(folders, relocation.NewDsn)
        {
            ClearPeerAddresses = options.NewHost || relocation.Folders.Count > 0 || relocation.NewDsn is not null,
        };
    }

    /// <summary>Who holds a PeerAddress, and what else a moved installation should check.</summary>
    private static (List<string> Cleared, List<string> ToCheck) NewHostReport(string configFile, ConfigRelocation relocation)
    {
        var cleared = new List<string>();
        var toCheck = new List<string>();
        if (!relocation.ClearPeerAddresses)
        {
            return (cleared, toCheck);
        }

        try
        {
            var config = PydioConfigReader.ReadFile(configFile);
            cleared.AddRange(config.Datasources.Where(d => d.PeerAddress is not null).Select(d => $"datasource {d.Name} ({d.PeerAddress})"));
            cleared.AddRange(config.ObjectsServices.Where(o => o.PeerAddress is not null).Select(o => $"objects service {o.Name} ({o.PeerAddress})"));
        }
        catch (CellsConfigException)
        {
        }

        toCheck.Add("defaults.sites in pydio.json (Binds, ReverseProxyURL, TLS): the addresses and external URL of this server");
        toCheck.Add("the database DSN, if the database server moved (--db-dsn rewrites it)");
        toCheck.Add("ownership of the restored files by the user Cells runs as");
        return (cleared, toCheck);
    }

    private ConfigRelocation Relocation(InstallationManifest manifest)
    {
        var folders = new List<(string From, string To)>();
        if (options.DataDir is { } data)
        {
            folders.Add((manifest.DataDir, Path.GetFullPath(data)));
        }

        if (options.CellsDir is { } wd)
        {
            folders.Add((manifest.WorkingDir, Path.GetFullPath(wd)));
        }

        folders.AddRange(options.Moves.Select(m => (Path.GetFullPath(m.From), Path.GetFullPath(m.To))));

        return new ConfigRelocation(folders.Where(f => f.From != f.To).ToList(), options.DatabaseDsn);
    }

    private static string Map(ConfigRelocation relocation, string path)
    {
        foreach (var (from, to) in relocation.Folders.OrderByDescending(f => f.From.Length))
        {
            if (path == from)
            {
                return to;
            }

            if (path.StartsWith(from.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                return to.TrimEnd('/') + path[from.TrimEnd('/').Length..];
            }
        }

        return path;
    }

    private sealed record Unit(string SnapshotPath, string Target, List<string> Excludes);

    /// <summary>The snapshot paths to place and where; a relocated folder inside another becomes its own unit.</summary>
    private static List<Unit> Units(InstallationManifest manifest, ConfigRelocation relocation)
    {
        var sources = manifest.Paths.Select(p => p.Path).ToList();
        foreach (var (from, _) in relocation.Folders)
        {
            if (!sources.Contains(from) && sources.Any(s => IsUnder(from, s)))
            {
                sources.Add(from);
            }
        }

        return sources.Select(s => new Unit(
            s,
            Map(relocation, s),
            sources.Where(o => o != s && IsUnder(o, s)).Select(o => "/" + Escape(o[(s.TrimEnd('/').Length + 1)..])).ToList())).ToList();
    }

    private async Task<DatabaseDsn> TargetDsnAsync(SnapshotFiles files, InstallationManifest manifest, CancellationToken cancellationToken)
    {
        string raw;
        string? driver = null;
        if (options.DatabaseDsn is { } given)
        {
            raw = given;
        }
        else
        {
            var text = Encoding.UTF8.GetString(await files.ReadAllAsync(manifest.ConfigFile, cancellationToken).ConfigureAwait(false));
            var config = PydioConfigReader.Read(manifest.ConfigFile, text);
            (raw, driver) = (config.SqlDsn, config.SqlDriver);
        }

        try
        {
            // The dump can only be loaded by the engine that wrote it (recorded in the manifest).
            var dsn = DatabaseEngines.Parse(raw, driver).ResolveRelativeTo(manifest.WorkingDir);
            var wrote = DatabaseEngines.ByName(manifest.DatabaseEngine);
            return dsn.Engine == wrote
                ? dsn
                : throw new InstallationRefusedException(
                    $"the snapshot holds a {wrote.DisplayName} dump and {dsn} is a {dsn.Engine.DisplayName} database; give --db-dsn of a {wrote.DisplayName} database.");
        }
        catch (FormatException ex)
        {
            throw new InstallationRefusedException($"the database DSN cannot be read: {ex.Message}");
        }
    }

    private async Task PlaceAsync(SnapshotFiles files, Node node, string target, List<string> excludes, List<string> problems, CancellationToken cancellationToken)
    {
        if (node.IsDirectory)
        {
            var filter = excludes.Count > 0 ? new RestoreFilter(excludes: excludes) : RestoreFilter.All;
            var result = await new Restorer(repository, new Cellar.Repository.Restoring.RestoreOptions { Filter = filter }).RestoreAsync(node, target, cancellationToken).ConfigureAwait(false);
            problems.AddRange(result.Errors.Select(e => $"{target}: {e}"));
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await files.Restorer.RestoreFileAsync(node, target, cancellationToken).ConfigureAwait(false);
    }

    private static void ChownTree(string path, uint uid, uint gid)
    {
        var entries = Directory.Exists(path)
            ? Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Prepend(path)
            : [path];
        foreach (var entry in entries)
        {
            Posix.ChownAt(FileDescriptor.CurrentDirectory, RawPath.FromString(entry), uid, gid);
        }
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    private static bool IsOccupied(string path) =>
        File.Exists(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any());

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Escape(string path)
    {
        var sb = new StringBuilder(path.Length + 4);
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
}
