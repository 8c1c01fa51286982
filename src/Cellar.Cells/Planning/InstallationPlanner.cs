using Cellar.Cells.Discovery;
using Cellar.Databases;

namespace Cellar.Cells;

/// <summary>
/// Turns discovered locations and their pydio.json into an <see cref="InstallationPlan"/>. Every path
/// the configuration names (datasource folders, objects-service folders with their buckets and
/// <c>.minio.sys</c>, stores, and vault, keyring and certificates when set explicitly) is either
/// planned or listed in <see cref="InstallationPlan.Missing"/>; paths read from the configuration
/// go through the <see cref="PathMap"/> first.
/// </summary>
public static class InstallationPlanner
{
    private const string ObjectsServicePrefix = "services.pydio.grpc.data.objects.";

    public static InstallationPlan Plan(DiscoveryInput input, PlanOptions? options = null) => Plan(InstallationDiscovery.Discover(input), options);

    public static InstallationPlan Plan(CellsLocations discovered, PlanOptions? options = null)
    {
        options ??= PlanOptions.Default;
        var map = new PathMap(options.PathMappings);
        var locations = MapLocations(discovered, map);
        var os = locations.Os;
        if (locations.ConfigFile is null)
        {
            throw new CellsConfigException("(config)", "the Cells configuration is not a local file, so Cellar cannot read the installation; give --cells-dir.");
        }

        if (!Directory.Exists(locations.WorkingDir))
        {
            throw new CellsConfigException(locations.WorkingDir, $"the Cells working dir (from {locations.Sources["working_dir"]}) does not exist; give --cells-dir or set CELLS_WORKING_DIR.");
        }

        var config = PydioConfigReader.ReadFile(locations.ConfigFile);
        var warnings = new List<string>(locations.Warnings);
        warnings.AddRange(config.Warnings);

        DatabaseDsn database;
        try
        {
            database = DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver).ResolveRelativeTo(locations.WorkingDir);
        }
        catch (FormatException ex)
        {
            throw new CellsConfigException(config.Path, $"the SQL database \"{config.DatabaseEntry}\" (driver {config.SqlDriver}) cannot be backed up: {ex.Message}");
        }

        // A container's configuration names its own paths (/var/cells/…): propose, or apply with auto, the mapping to the host.
        var implied = ImpliedWorkingDir(config);
        PathMapping? proposal = null;
        if (implied is not null && implied != map.ToConfig(locations.WorkingDir) && map.ToHost(implied) == implied && !File.Exists(Path.Combine(implied, "pydio.json")))
        {
            proposal = new PathMapping(implied, locations.WorkingDir);
            if (options.AutoPathMap)
            {
                map = map.With(proposal);
            }
        }
        else if (options.AutoPathMap)
        {
            warnings.Add("--path-map auto: the configuration's paths already match this host's working dir; nothing to map.");
        }

        var excluded = new HashSet<string>(options.ExcludedDatasources, StringComparer.Ordinal);
        foreach (var name in excluded.Where(n => config.Datasources.All(d => d.Name != n)))
        {
            throw new CellsConfigException(config.Path, $"--exclude-datasource {name}: there is no such datasource (the configuration has {string.Join(", ", config.Datasources.Select(d => d.Name))}).");
        }

        var candidates = new List<Candidate>();
        void Add(string path, string role, string origin, bool required, string? configPath = null, string? datasource = null) =>
            candidates.Add(new Candidate(path, role, origin, required, configPath, datasource));
        string Via(string configPath) => map.MappingFor(configPath) is { } used ? $" via --path-map {used}" : "";

        Add(locations.WorkingDir, "working dir", locations.Sources["working_dir"], true);
        Add(locations.DataDir, "data dir", locations.Sources["data_dir"], locations.IsExplicit("data_dir"));
        Add(locations.ServicesDir, "services dir", locations.Sources["services_dir"], locations.IsExplicit("services_dir"));
        Add(locations.LogDir, "log dir", locations.Sources["log_dir"], false);
        Add(locations.ConfigFile, "configuration", locations.Sources["config"], true);
        if (locations.ConfigHistoryFile is { } history)
        {
            Add(history, "configuration history", "beside the configuration (Cells' revisions store)", false);
        }

        if (locations.VaultFile is { } vault)
        {
            Add(vault, "vault", locations.Sources["vault"], locations.IsExplicit("vault"));
        }

        if (locations.KeyringFile is { } keyring)
        {
            Add(keyring, "keyring", locations.Sources["keyring"], locations.IsExplicit("keyring"));
        }

        if (locations.CertsStore is { } certs)
        {
            Add(certs, "certificates", locations.Sources["certs_store"], locations.IsExplicit("certs_store"));
        }

        if (locations.FlagsFile is { } flagsFile)
        {
            Add(flagsFile, "flags file", locations.Sources["flags_file"], true);
        }

        var leftOut = new List<LeftOutPart>();
        var excludedFolders = new List<string>();
        foreach (var ds in config.Datasources)
        {
            if (excluded.Contains(ds.Name))
            {
                leftOut.Add(new LeftOutPart(LeftOutPart.Excluded, ds.Name, $"datasource {ds.Name} left out with --exclude-datasource {ds.Name}") { Datasource = ds });
                if (ds.Folder is not null)
                {
                    excludedFolders.Add(map.ToHost(ds.Folder));
                }

                continue;
            }

            if (!ds.IsLocal)
            {
                // An S3 datasource in one bucket is backed up from that bucket (ObjectStorage/S3DatasourceBackup).
                if (ds.S3 is not { Bucket: not null, BucketsRegexp: null })
                {
                    leftOut.Add(new LeftOutPart(LeftOutPart.NotIncluded, ds.Name,
                        $"datasource {ds.Name} keeps its objects in {ds.StorageType}{(ds.Bucket is null ? "" : " bucket " + ds.Bucket)}{(ds.Endpoint is null ? "" : " at " + ds.Endpoint)}; they are not in this snapshot")
                    { Datasource = ds });
                }

                continue;
            }

            var folder = map.ToHost(ds.Folder!);
            Add(folder, $"datasource {ds.Name}", $"pydio.json {ds.FolderKey}{Via(ds.Folder!)}", true, ds.Folder, ds.Name);
            if (OsPath.Parent(os, folder) is { } parent)
            {
                Add(OsPath.Join(os, parent, ".minio.sys"), $"object metadata of datasource {ds.Name}", $"beside datasource {ds.Name}", false);
            }
        }

        foreach (var objects in config.ObjectsServices.Where(o => o.IsLocal && o.LocalFolder is not null))
        {
            var served = config.Datasources.Where(d => d.ObjectsService == objects.Name).ToList();
            if (served.Count > 0 && served.All(d => excluded.Contains(d.Name)))
            {
                continue;
            }

            var folder = map.ToHost(objects.LocalFolder!);
            var origin = $"pydio.json {ObjectsServicePrefix}{objects.Name}.LocalFolder{Via(objects.LocalFolder!)}";
            if (!Directory.Exists(folder))
            {
                Add(folder, $"folder of objects service {objects.Name}", origin, true, objects.LocalFolder);
                continue;
            }

            Add(OsPath.Join(os, folder, ".minio.sys"), $"object metadata of objects service {objects.Name}", origin, false);
            foreach (var bucket in config.TechnicalBuckets)
            {
                Add(OsPath.Join(os, folder, bucket.Bucket), $"{bucket.Bucket} bucket of objects service {objects.Name}", $"pydio.json services.{bucket.ConfigKey} in {origin}", false);
            }
        }

        foreach (var store in config.Stores)
        {
            Add(map.ToHost(store.Path), $"{store.Kind} store of {store.Service}", $"pydio.json databases.{store.Service}{Via(store.Path)}", true, store.Path);
        }

        var missing = new List<MissingPath>();
        var present = candidates.Where(c => Exists(c.Path)).ToList();
        var paths = new List<PlannedPath>();
        foreach (var c in candidates)
        {
            if (!Exists(c.Path))
            {
                if (c.Required && missing.All(m => m.Path != c.Path))
                {
                    missing.Add(new MissingPath(c.Path, c.Role, c.Origin, c.ConfigPath, c.Datasource));
                }

                continue;
            }

            var covered = present.Any(o => o.Path != c.Path && OsPath.IsUnder(os, c.Path, o.Path)) || paths.Any(p => p.Path == c.Path);
            if (!covered)
            {
                paths.Add(new PlannedPath(c.Path, c.Role, true) { Origin = c.Origin, ConfigPath = c.ConfigPath is { } cp && cp != c.Path ? cp : null });
            }
        }

        foreach (var c in candidates.Where(c => !c.Required && !Exists(c.Path) && c.Role is "keyring" or "vault"))
        {
            warnings.Add($"the {c.Role} {c.Path} ({c.Origin}) does not exist: {(c.Role == "keyring" ? "without it the vault's secrets cannot be read" : "Cells has stored no secret yet, or keeps it elsewhere")}.");
        }

        var bolt = new SortedSet<string>(StringComparer.Ordinal);
        var bleve = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var store in config.Stores)
        {
            var host = map.ToHost(store.Path);
            if (Exists(host))
            {
                (store.Kind == "bolt" ? bolt : bleve).Add(host);
            }
        }

        foreach (var root in paths.Where(p => Directory.Exists(p.Path)).Select(p => p.Path))
        {
            StoreScanner.Scan(root, bolt, bleve);
        }

        bolt.RemoveWhere(f => excludedFolders.Any(e => OsPath.IsUnder(os, f, e)));
        bleve.RemoveWhere(f => excludedFolders.Any(e => OsPath.IsUnder(os, f, e)));
        foreach (var part in leftOut)
        {
            warnings.Add(part.Reason + ".");
        }

        return new InstallationPlan(locations, config, paths, database, config.Datasources, bolt.ToList(), bleve.ToList(), warnings)
        {
            PathMap = map,
            Missing = missing,
            LeftOut = leftOut,
            ExcludedFolders = excludedFolders.Where(f => paths.Any(p => OsPath.IsUnder(os, f, p.Path))).ToList(),
            ImpliedWorkingDir = implied,
            ProposedPathMap = proposal,
        };
    }

    /// <summary>
    /// The working dir the configuration's own absolute paths point at: the folder above
    /// <c>services/</c> in store paths, above <c>data</c> for objects-service folders and the
    /// datasources inside them; the most frequent answer wins.
    /// </summary>
    public static string? ImpliedWorkingDir(PydioConfig config)
    {
        var votes = new List<string>();
        foreach (var store in config.Stores)
        {
            var at = store.Path.LastIndexOf("/services/", StringComparison.Ordinal);
            if (at > 0)
            {
                votes.Add(store.Path[..at]);
            }
        }

        foreach (var folder in config.ObjectsServices.Select(o => o.LocalFolder).OfType<string>())
        {
            var trimmed = folder.TrimEnd('/');
            if (trimmed.EndsWith("/data", StringComparison.Ordinal) && trimmed.Length > 5)
            {
                votes.Add(trimmed[..^5]);
            }
        }

        foreach (var folder in config.Datasources.Select(d => d.Folder).OfType<string>())
        {
            var parent = Path.GetDirectoryName(folder.TrimEnd('/'));
            if (parent is not null && parent.EndsWith("/data", StringComparison.Ordinal) && parent.Length > 5)
            {
                votes.Add(parent[..^5]);
            }
        }

        return votes.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Length).Select(g => g.Key).FirstOrDefault();
    }

    private static CellsLocations MapLocations(CellsLocations l, PathMap map)
    {
        if (map.IsEmpty)
        {
            return l;
        }

        string? M(string? path) => path is null ? null : map.ToHost(path);
        return l with
        {
            WorkingDir = map.ToHost(l.WorkingDir),
            DataDir = map.ToHost(l.DataDir),
            LogDir = map.ToHost(l.LogDir),
            ServicesDir = map.ToHost(l.ServicesDir),
            ConfigFile = M(l.ConfigFile),
            VaultFile = M(l.VaultFile),
            KeyringFile = M(l.KeyringFile),
            CertsStore = M(l.CertsStore),
            FlagsFile = M(l.FlagsFile),
        };
    }

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);

    private sealed record Candidate(string Path, string Role, string Origin, bool Required, string? ConfigPath, string? Datasource);
}
