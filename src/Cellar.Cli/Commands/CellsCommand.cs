using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cellar.Cells;
using Cellar.Cells.Discovery;
using Cellar.Cells.ObjectStorage;
using Cellar.Cells.Running;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar cells inspect</c>: what a backup of the Cells installation would take.</summary>
internal sealed class CellsCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var cellsDir = new Option<string?>("--cells-dir") { Description = "Cells working dir (default: as Cells finds it: $CELLS_WORKING_DIR, flags file, or the OS default)" };
        var noDb = new Option<bool>("--no-db") { Description = "Do not connect to the SQL database" };
        var credentials = new Option<string?>("--datasource-credentials") { Description = "File of 'NAME ACCESS_KEY SECRET_KEY' lines for S3 datasources (mode 600; default: pydio.json and the vault)" };
        var inspect = new Command("inspect", "Show what a backup of the Cells installation would take: paths, database, datasources, stores, and whether Cells runs");
        inspect.Options.Add(cellsDir);
        inspect.Options.Add(noDb);
        inspect.Options.Add(credentials);
        inspect.SetHandler(globals, async context =>
        {
            var env = context.Environment;
            var input = DiscoveryInput.FromProcess(context.Get(cellsDir), env.GetVariable, env.CurrentDirectory);
            InstallationReport report;
            try
            {
                var given = context.Get(credentials) is { } file ? DatasourceCredentials.Read(Path.GetFullPath(file, env.CurrentDirectory)) : null;
                report = await InstallationInspector.InspectAsync(input, !context.Get(noDb), context.CancellationToken, given).ConfigureAwait(false);
            }
            catch (CellsConfigException ex)
            {
                throw new UserException(ex.Message);
            }

            if (context.Json)
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(report))).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(context.Out, report).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var cells = new Command("cells", "Work with a Pydio Cells installation");
        cells.Subcommands.Add(inspect);
        return cells;
    }

    private static object ToJson(InstallationReport r) => new
    {
        cellsVersion = r.Plan.CellsVersion,
        workingDir = r.Plan.Locations.WorkingDir,
        config = r.Plan.Locations.ConfigFile,
        flagsFile = r.Plan.Locations.FlagsFile,
        foundBy = r.Plan.Locations.Sources,
        paths = r.Paths.Select(p => new { path = p.Path, role = p.Role, exists = p.Exists, bytes = p.Bytes, files = p.Files }),
        database = new
        {
            server = r.Database.Server,
            contacted = r.Database.Contacted,
            version = r.Database.Version,
            tables = r.Database.Tables,
            bytes = r.Database.Bytes,
            error = r.Database.Error,
        },
        datasources = r.Plan.Datasources.Select(d => new
        {
            name = d.Name,
            storageType = d.StorageType,
            folder = d.Folder,
            flatStorage = d.FlatStorage,
            bucket = d.Bucket,
            backedUp = d.IsLocal || r.ObjectStorage.Any(u => u.Datasource == d.Name),
        }),
        objectStorage = r.ObjectStorage.Select(u => new { datasource = u.Datasource, location = u.Location, objects = u.Objects, bytes = u.Bytes, error = u.Error }),
        stores = new
        {
            bolt = r.Plan.BoltFiles.Select(f => new { path = f, @lock = r.Running.Stores.GetValueOrDefault(f).ToString().ToLowerInvariant() }),
            bleve = r.Plan.BleveFolders,
        },
        running = r.Running.IsRunning,
        cellsProcesses = r.Running.CellsProcesses,
        warnings = r.Warnings,
    };

    private static async Task WriteTextAsync(TextWriter o, InstallationReport r)
    {
        var plan = r.Plan;
        await o.WriteLineAsync($"Cells {plan.CellsVersion ?? "(version unknown)"} at {plan.Locations.WorkingDir} (found by {plan.Locations.Sources["working_dir"]})").ConfigureAwait(false);
        await o.WriteLineAsync($"configuration: {plan.Locations.ConfigFile}").ConfigureAwait(false);
        if (plan.Locations.FlagsFile is not null)
        {
            await o.WriteLineAsync($"flags file:    {plan.Locations.FlagsFile}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Paths a backup takes:").ConfigureAwait(false);
        foreach (var p in r.Paths)
        {
            await o.WriteLineAsync($"  {p.Path}  [{p.Role}]  {(p.Exists ? $"{Size(p.Bytes)} in {p.Files} files" : "missing")}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"  total: {Size(r.Paths.Sum(p => p.Bytes))} in {r.Paths.Sum(p => p.Files)} files").ConfigureAwait(false);
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync($"Database: {r.Database.Server}").ConfigureAwait(false);
        if (r.Database.Contacted)
        {
            await o.WriteLineAsync($"  server {r.Database.Version}, {r.Database.Tables} tables, {Size(r.Database.Bytes ?? 0)}").ConfigureAwait(false);
        }
        else
        {
            await o.WriteLineAsync($"  not contacted: {r.Database.Error}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Datasources:").ConfigureAwait(false);
        foreach (var d in plan.Datasources)
        {
            var usage = r.ObjectStorage.FirstOrDefault(u => u.Datasource == d.Name);
            var where = d.IsLocal ? d.Folder
                : usage is { Error: null } ? $"{usage.Location}: {usage.Objects} objects, {Size(usage.Bytes)}"
                : usage is not null ? $"{usage.Location}: not listed ({usage.Error})"
                : $"bucket {d.Bucket}{(d.Endpoint is null ? "" : " at " + d.Endpoint)} (not backed up)";
            await o.WriteLineAsync($"  {d.Name}: {d.StorageType}{(d.FlatStorage ? ", flat" : "")}, {where}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync($"Stores: {plan.BoltFiles.Count} BoltDB file(s), {plan.BleveFolders.Count} Bleve index(es)").ConfigureAwait(false);
        foreach (var f in plan.BoltFiles)
        {
            var state = r.Running.Stores.GetValueOrDefault(f);
            await o.WriteLineAsync($"  {f}{(state == LockState.Held ? "  (open in a running Cells)" : "")}").ConfigureAwait(false);
        }

        foreach (var f in plan.BleveFolders)
        {
            await o.WriteLineAsync($"  {f}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        var pids = r.Running.CellsProcesses.Count > 0 ? $" (cells process {string.Join(", ", r.Running.CellsProcesses)})" : "";
        await o.WriteLineAsync(r.Running.IsRunning ? $"Cells is running{pids}." : "Cells is not running.").ConfigureAwait(false);
        foreach (var w in r.Warnings)
        {
            await o.WriteLineAsync($"warning: {w}").ConfigureAwait(false);
        }
    }

    private static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
