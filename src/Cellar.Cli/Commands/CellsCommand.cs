using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
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
        var pathMaps = new Option<string[]>("--path-map") { Description = "CONFIG_PATH=HOST_PATH (repeatable) or auto: as for backup, for Cells in a container" };
        var credentials = new Option<string?>("--datasource-credentials") { Description = "File of 'NAME ACCESS_KEY SECRET_KEY' lines for S3 datasources (mode 600; default: pydio.json and the vault)" };
        var inspect = new Command("inspect", "Show what a backup of the Cells installation would take: paths, database, datasources, stores, and whether Cells runs");
        inspect.Options.Add(cellsDir);
        inspect.Options.Add(noDb);
        inspect.Options.Add(pathMaps);
        inspect.Options.Add(credentials);
        inspect.SetHandler(globals, CommandLock.None, async context =>
        {
            var env = context.Environment;
            var input = DiscoveryInput.FromProcess(context.Get(cellsDir), env.GetVariable, env.CurrentDirectory);
            InstallationReport report;
            try
            {
                var options = Installation.InstallationBackupCli.ReadPlanOptions(context, pathMaps);
                var given = context.Get(credentials) is { } file ? DatasourceCredentials.Read(Path.GetFullPath(file, env.CurrentDirectory)) : null;
                report = await InstallationInspector.InspectAsync(input, !context.Get(noDb), context.CancellationToken, options, given).ConfigureAwait(false);
            }
            catch (CellsConfigException ex)
            {
                throw new UserException(ex.Message);
            }

            if (context.Json)
            {
                await context.Out.WriteLineAsync(ToJson(report).ToJsonString()).ConfigureAwait(false);
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

    private static JsonObject ToJson(InstallationReport r) => new()
    {
        ["cellsVersion"] = r.Plan.CellsVersion,
        ["workingDir"] = r.Plan.Locations.WorkingDir,
        ["config"] = r.Plan.Locations.ConfigFile,
        ["flagsFile"] = r.Plan.Locations.FlagsFile,
        ["foundBy"] = JsonNodes.Object(r.Plan.Locations.Sources),
        ["paths"] = JsonNodes.Array(r.Paths, p => new JsonObject { ["path"] = p.Path, ["role"] = p.Role, ["origin"] = p.Origin, ["configPath"] = p.ConfigPath, ["exists"] = p.Exists, ["bytes"] = p.Bytes, ["files"] = p.Files }),
        ["missing"] = JsonNodes.Array(r.Plan.Missing, m => new JsonObject { ["path"] = m.Path, ["role"] = m.Role, ["origin"] = m.Origin, ["configPath"] = m.ConfigPath, ["datasource"] = m.Datasource }),
        ["notInBackup"] = JsonNodes.Array(r.Plan.LeftOut, l => new JsonObject { ["kind"] = l.Kind, ["name"] = l.Name, ["reason"] = l.Reason }),
        ["pathMap"] = JsonNodes.Array(r.Plan.PathMap.Mappings, m => new JsonObject { ["configPath"] = m.ConfigPath, ["hostPath"] = m.HostPath }),
        ["impliedWorkingDir"] = r.Plan.ImpliedWorkingDir,
        ["proposedPathMap"] = r.Plan.ProposedPathMap?.ToString(),
        ["database"] = new JsonObject
        {
            ["engine"] = r.Database.Engine,
            ["server"] = r.Database.Server,
            ["contacted"] = r.Database.Contacted,
            ["version"] = r.Database.Version,
            ["tables"] = r.Database.Tables,
            ["bytes"] = r.Database.Bytes,
            ["error"] = r.Database.Error,
        },
        ["datasources"] = JsonNodes.Array(r.Plan.Datasources, d => new JsonObject
        {
            ["name"] = d.Name,
            ["storageType"] = d.StorageType,
            ["folder"] = d.Folder,
            ["flatStorage"] = d.FlatStorage,
            ["bucket"] = d.Bucket,
            ["backedUp"] = (d.IsLocal || r.ObjectStorage.Any(u => u.Datasource == d.Name)) && r.Plan.LeftOut.All(l => l.Name != d.Name),
            ["endpoint"] = d.Endpoint,
            ["peerAddress"] = d.PeerAddress,
        }),
        ["objectStorage"] = JsonNodes.Array(r.ObjectStorage, u => new JsonObject { ["datasource"] = u.Datasource, ["location"] = u.Location, ["objects"] = u.Objects, ["bytes"] = u.Bytes, ["error"] = u.Error }),
        ["stores"] = new JsonObject
        {
            ["bolt"] = JsonNodes.Array(r.Plan.BoltFiles, f => new JsonObject { ["path"] = f, ["lock"] = r.Running.Stores.GetValueOrDefault(f).ToString().ToLowerInvariant() }),
            ["bleve"] = JsonNodes.Strings(r.Plan.BleveFolders),
            ["mongodb"] = JsonNodes.Array(r.Plan.Config.MongoStores, m => new JsonObject { ["key"] = m.Key, ["dsn"] = m.Dsn, ["services"] = JsonNodes.Strings(m.Services), ["included"] = "not included unless --dump-command" }),
        },
        ["running"] = r.Running.IsRunning,
        ["cellsProcesses"] = JsonNodes.Array(r.Running.CellsProcesses, p => p),
        ["warnings"] = JsonNodes.Strings(r.Warnings),
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
        foreach (var m in plan.PathMap.Mappings)
        {
            await o.WriteLineAsync($"  (path map: the configuration's {m.ConfigPath} is {m.HostPath} here)").ConfigureAwait(false);
        }

        foreach (var p in r.Paths)
        {
            await o.WriteLineAsync($"  {p.Path}  [{p.Role}]  {(p.Exists ? $"{Size(p.Bytes)} in {p.Files} files" : "missing")}").ConfigureAwait(false);
            await o.WriteLineAsync($"      from {p.Origin}{(p.ConfigPath is null ? "" : $" (written {p.ConfigPath})")}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"  total: {Size(r.Paths.Sum(p => p.Bytes))} in {r.Paths.Sum(p => p.Files)} files").ConfigureAwait(false);
        if (plan.Missing.Count > 0)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync("Named by the configuration but NOT on this host (a backup refuses until mapped or excluded):").ConfigureAwait(false);
            foreach (var m in plan.Missing)
            {
                await o.WriteLineAsync($"  {m.Path}  [{m.Role}]  from {m.Origin}").ConfigureAwait(false);
            }

            if (plan.ProposedPathMap is { } proposal)
            {
                await o.WriteLineAsync($"  the configuration's paths imply the working dir {proposal.ConfigPath}: try --path-map {proposal} (or --path-map auto)").ConfigureAwait(false);
            }
        }

        if (plan.LeftOut.Count > 0)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync("Not in a backup (the snapshot says so and the backup exits 3):").ConfigureAwait(false);
            foreach (var l in plan.LeftOut)
            {
                await o.WriteLineAsync($"  {l.Reason}").ConfigureAwait(false);
            }
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Where each setting comes from:").ConfigureAwait(false);
        foreach (var (key, source) in plan.Locations.Sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            await o.WriteLineAsync($"  {key}: {source}").ConfigureAwait(false);
        }
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync($"Database ({r.Database.Engine}): {r.Database.Server}").ConfigureAwait(false);
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
            var where = d.IsLocal ? plan.PathMap.ToHost(d.Folder!) + (plan.LeftOut.Any(l => l.Name == d.Name) ? " (excluded)" : "")
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

        foreach (var m in plan.Config.MongoStores)
        {
            await o.WriteLineAsync($"  MongoDB databases.{m.Key} ({m.Dsn}) for {(m.Services.Count == 0 ? "no service named" : string.Join(", ", m.Services))}: not included unless --dump-command").ConfigureAwait(false);
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
