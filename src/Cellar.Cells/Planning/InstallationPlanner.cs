using Cellar.Cells.Discovery;
using Cellar.Databases;

namespace Cellar.Cells;

/// <summary>Turns discovered locations and their pydio.json into an <see cref="InstallationPlan"/>.</summary>
public static class InstallationPlanner
{
    public static InstallationPlan Plan(DiscoveryInput input) => Plan(InstallationDiscovery.Discover(input));

    public static InstallationPlan Plan(CellsLocations locations)
    {
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

        if (!config.SqlDriver.Equals("mysql", StringComparison.OrdinalIgnoreCase))
        {
            throw new CellsConfigException(config.Path, $"the database \"databases.{config.DatabaseKey}\" uses driver {config.SqlDriver}; Cellar backs up MySQL and MariaDB only.");
        }

        DatabaseDsn database;
        try
        {
            database = DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver);
        }
        catch (FormatException ex)
        {
            throw new CellsConfigException(config.Path, $"the SQL DSN of \"databases.{config.DatabaseKey}\" cannot be read: {ex.Message}");
        }

        var candidates = new List<(string Path, string Role)>
        {
            (locations.WorkingDir, "working dir"),
            (locations.DataDir, "data dir"),
            (locations.ServicesDir, "services dir"),
            (locations.LogDir, "log dir"),
            (locations.ConfigFile, "configuration"),
        };
        AddIf(candidates, locations.VaultFile, "vault");
        AddIf(candidates, locations.KeyringFile, "keyring");
        AddIf(candidates, locations.CertsStore, "certificates");
        AddIf(candidates, locations.FlagsFile, "flags file");
        foreach (var ds in config.Datasources.Where(d => d.IsLocal && d.Folder is not null))
        {
            candidates.Add((ds.Folder!, $"datasource {ds.Name}"));
            if (OsPath.Parent(os, ds.Folder!) is { } parent)
            {
                var minio = OsPath.Join(os, parent, ".minio.sys");
                if (Directory.Exists(minio))
                {
                    candidates.Add((minio, $"object metadata of datasource {ds.Name}"));
                }
            }

            if (!Directory.Exists(ds.Folder))
            {
                warnings.Add($"datasource {ds.Name}: folder {ds.Folder} does not exist.");
            }
        }

        foreach (var objects in config.ObjectsServices.Where(o => o.LocalFolder is not null))
        {
            var minio = OsPath.Join(os, objects.LocalFolder!, ".minio.sys");
            if (Directory.Exists(minio))
            {
                candidates.Add((minio, $"object metadata of objects service {objects.Name}"));
            }
        }

        var paths = new List<PlannedPath>();
        foreach (var (path, role) in candidates)
        {
            var covered = candidates.Any(c => !ReferenceEquals(c.Path, path) && c.Path != path && OsPath.IsUnder(os, path, c.Path))
                          || paths.Any(p => p.Path == path);
            var exists = Directory.Exists(path) || File.Exists(path);
            if (!covered && (exists || role == "working dir"))
            {
                paths.Add(new PlannedPath(path, role, exists));
            }
        }

        var bolt = new SortedSet<string>(StringComparer.Ordinal);
        var bleve = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var store in config.Stores)
        {
            (store.Kind == "bolt" ? bolt : bleve).Add(store.Path);
        }

        foreach (var root in paths.Where(p => p.Exists && Directory.Exists(p.Path)).Select(p => p.Path))
        {
            StoreScanner.Scan(root, bolt, bleve);
        }

        foreach (var store in config.Stores.Where(s => !paths.Any(p => OsPath.IsUnder(os, s.Path, p.Path))))
        {
            warnings.Add($"{store.Kind} store of {store.Service} at {store.Path} lies outside every backed-up folder.");
        }

        return new InstallationPlan(locations, config, paths, database, config.Datasources, bolt.ToList(), bleve.ToList(), warnings);
    }

    private static void AddIf(List<(string, string)> list, string? path, string role)
    {
        if (path is not null)
        {
            list.Add((path, role));
        }
    }
}
