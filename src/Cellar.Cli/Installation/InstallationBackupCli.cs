using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cellar.Cells;
using Cellar.Cells.Discovery;
using Cellar.Cells.Installation;

namespace Cellar.Cli.Installation;

/// <summary>
/// <c>cellar backup</c> without paths: the options it adds to the backup command, and the run
/// (discover → plan → one snapshot of the whole installation, quiesced or hot on request).
/// </summary>
internal sealed class InstallationBackupCli
{
    public Option<string?> CellsDir { get; } = new("--cells-dir") { Description = "Cells working dir (no paths given; default: as Cells finds it)" };
    public Option<string?> StopCommand { get; } = new("--stop-command") { Description = "Shell command that stops Cells for the short second pass" };
    public Option<string?> StartCommand { get; } = new("--start-command") { Description = "Shell command that starts Cells again (always run after --stop-command)" };
    public Option<string?> SystemdUnit { get; } = new("--systemd-unit") { Description = "Stop/start Cells with systemctl around the second pass" };
    public Option<bool> Hot { get; } = new("--hot") { Description = "Do not stop Cells: verify every BoltDB copy as read, mark changed search indexes rebuildable" };
    public Option<string?> DatasourceCredentials { get; } = new("--datasource-credentials") { Description = "File of 'NAME ACCESS_KEY SECRET_KEY' lines for S3 datasources (mode 600; default: pydio.json and the vault)" };
    public Option<string[]> DumpCommand { get; } = new("--dump-command") { Description = "NAME='CMD': store the output of CMD (run by /bin/sh) as /.cellar/commands/NAME, e.g. mongo='mongodump --uri=URI --archive' (repeatable; a failing CMD fails the backup)" };
    public Option<string[]> PathMaps { get; } = new("--path-map") { Description = "CONFIG_PATH=HOST_PATH: where this host sees a folder the configuration names (Cells in a container); repeatable; 'auto' maps the working dir the configuration implies" };
    public Option<string[]> ExcludeDatasources { get; } = new("--exclude-datasource") { Description = "Leave this datasource's files out on purpose (recorded in the snapshot; the backup exits 3); repeatable" };

    public Option<bool> VerifyConsistency { get; } = new("--verify-consistency") { Description = "Prove every LOCAL datasource against its SQL index (objects present, sizes as indexed, .pydio ids); problems give exit code 3" };

    /// <summary>The options of this mode only (refused with PATHs).</summary>
    public IReadOnlyList<Option> Options => [CellsDir, StopCommand, StartCommand, SystemdUnit, Hot, PathMaps, ExcludeDatasources, DumpCommand, VerifyConsistency, DatasourceCredentials];

    public void AddTo(Command command)
    {
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
    }

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> tags, string? host)
    {
        var say = Sayer(context);
        var (service, mode) = ReadMode(context);
        IReadOnlyList<CommandSource> dumpCommands;
        try
        {
            dumpCommands = CommandSource.ParseAll("--dump-command", context.Get(DumpCommand) ?? []);
        }
        catch (ArgumentException ex)
        {
            throw new UserException(ex.Message, ExitCodes.Usage);
        }

        var env = context.Environment;
        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(context.Get(CellsDir), env.GetVariable, env.CurrentDirectory), ReadPlanOptions(context, PathMaps, ExcludeDatasources));
        say($"Cells {plan.CellsVersion ?? "(unknown version)"} at {plan.Locations.WorkingDir} ({plan.Locations.Sources.GetValueOrDefault("working_dir", "default")})");
        foreach (var mapping in plan.PathMap.Mappings)
        {
            say($"  path map: the configuration's {mapping.ConfigPath} is {mapping.HostPath} on this host");
        }

        foreach (var path in plan.Paths.Where(p => p.Exists))
        {
            say($"  {path.Role}: {path.Path}");
        }

        foreach (var warning in plan.Warnings)
        {
            say("WARNING: " + warning);
        }

        await using var repository = await InstallationRepository.OpenAsync(context, plan.Locations.WorkingDir, create: true, say).ConfigureAwait(false);
        var options = new InstallationBackupOptions
        {
            Mode = mode,
            Service = service,
            Hostname = host,
            ExtraTags = tags,
            DatasourceCredentials = ReadCredentials(context, this.DatasourceCredentials),
            DumpCommands = dumpCommands,
            VerifyConsistency = context.Get(VerifyConsistency),
            Log = say,
        };
        var result = await new InstallationBackup(repository, plan, options).RunAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await context.Out.WriteLineAsync(new JsonObject
            {
                ["message_type"] = "summary",
                ["snapshot_id"] = result.SnapshotId.ToString(),
                ["complete"] = !result.Incomplete,
                ["backup_seconds"] = result.Duration.TotalSeconds,
                ["downtime_seconds"] = result.Downtime.TotalSeconds,
                ["start_failure"] = result.StartFailure,
                ["stores"] = JsonNodes.Array(result.Manifest.Stores, s => new JsonObject { ["path"] = s.Path, ["kind"] = s.Kind, ["status"] = s.Status }),
                ["mongodb_stores"] = JsonNodes.Array(result.Manifest.MongoStores, m => new JsonObject { ["key"] = m.Key, ["services"] = JsonNodes.Strings(m.Services), ["included"] = m.Included }),
                ["commands"] = JsonNodes.Array(result.Manifest.Commands, c => new JsonObject { ["name"] = c.Name, ["path"] = c.Stream }),
                ["consistency"] = JsonNodes.Array(result.Manifest.Consistency, f => new JsonObject { ["datasource"] = f.Datasource, ["kind"] = f.Kind, ["path"] = f.Path, ["detail"] = f.Detail, ["failure"] = f.IsFailure }),
                ["left_out"] = JsonNodes.Array(result.Manifest.LeftOut, l => new JsonObject { ["kind"] = l.Kind, ["name"] = l.Name, ["reason"] = l.Reason, ["bucket"] = l.Bucket, ["endpoint"] = l.Endpoint }),
            }.ToJsonString()).ConfigureAwait(false);
        }
        else
        {
            await context.Out.WriteLineAsync(
                $"Cells installation backed up as snapshot {result.SnapshotId.ToShortString()} in {result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" +
                (mode == BackupMode.Quiesced ? $", Cells stopped for {result.Downtime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "")).ConfigureAwait(false);
        }

        if (result.StartFailure is not null)
        {
            await context.Error.WriteLineAsync("cellar: ERROR: " + result.StartFailure).ConfigureAwait(false);
            return ExitCodes.Fatal;
        }

        if (result.Manifest.MongoStores.Any(m => !m.Included))
        {
            await context.Error.WriteLineAsync(
                $"cellar: the snapshot is INCOMPLETE: Cells keeps document stores in MongoDB, which Cellar cannot read itself: " +
                ManifestMongoStore.Describe(result.Manifest.MongoStores.Where(m => !m.Included)) +
                ". Everything else is saved. Include them with --dump-command mongo='mongodump --uri=\"mongodb://USER:PASSWORD@HOST/DB\" --archive' " +
                "(restore with --restore-command mongo='mongorestore --uri=... --archive --drop').").ConfigureAwait(false);
            if (result.Manifest.Stores.All(s => s.IsSound) && result.Manifest.LeftOut.Count == 0)
            {
                return ExitCodes.Incomplete;
            }
        }


        if (result.Manifest.LeftOut.Count > 0)
        {
            foreach (var part in result.Manifest.LeftOut)
            {
                await context.Error.WriteLineAsync($"cellar: NOT IN THE SNAPSHOT: {part.Reason}.").ConfigureAwait(false);
            }
        }

        if (result.Manifest.LeftOut.Count > 0 && result.Manifest.Stores.All(s => s.IsSound))
        {
            await context.Error.WriteLineAsync(
                $"cellar: the snapshot is INCOMPLETE: {result.Manifest.LeftOut.Count} datasource(s) are not in it (see above; tagged {string.Join(", ", result.Manifest.LeftOut.Select(l => (l.Kind == LeftOutPart.Excluded ? "excluded-datasource=" : "not-included=") + l.Name))}).").ConfigureAwait(false);
            return ExitCodes.Incomplete;
        }

        if (!result.Manifest.Complete)
        {
            var unsound = result.Manifest.Stores.Where(s => !s.IsSound && s.Status != "rebuildable").Select(s => $"{s.Path} ({s.Detail})").ToList();
            var rebuildable = result.Manifest.Stores.Where(s => s.Status == "rebuildable").Select(s => s.Path).ToList();
            var what = unsound.Count > 0
                ? "stores that never read sound were left out: " + string.Join("; ", unsound)
                : "search indexes changed while copied and are marked rebuildable (Cells rebuilds them): " + string.Join("; ", rebuildable);
            await context.Error.WriteLineAsync(
                $"cellar: the snapshot is INCOMPLETE: {what}. Run the backup again, or stop Cells for it (--systemd-unit or --stop-command/--start-command).").ConfigureAwait(false);
            return ExitCodes.Incomplete;
        }

        if (result.Manifest.Consistency?.Where(f => f.IsFailure).ToList() is { Count: > 0 } failures)
        {
            await context.Error.WriteLineAsync(
                $"cellar: the snapshot is saved, but the installation is NOT CONSISTENT ({failures.Count} problem(s)): " +
                string.Join("; ", failures.Take(20)) + (failures.Count > 20 ? $"; and {failures.Count - 20} more" : "") +
                ". Repair the installation in Cells, and keep an earlier snapshot until then.").ConfigureAwait(false);
            return ExitCodes.Incomplete;
        }

        return result.FileWarnings > 0 ? ExitCodes.Incomplete : ExitCodes.Success;
    }

    /// <summary>--path-map (CONFIG=HOST or auto) and --exclude-datasource as plan options; a malformed map is a usage error.</summary>
    internal static PlanOptions ReadPlanOptions(CommandContext context, Option<string[]> pathMaps, Option<string[]>? excludes = null)
    {
        var specs = context.Get(pathMaps) ?? [];
        var mappings = new List<PathMapping>();
        try
        {
            mappings.AddRange(specs.Where(s => !s.Equals("auto", StringComparison.OrdinalIgnoreCase)).Select(PathMap.ParseOne));
        }
        catch (ArgumentException ex)
        {
            throw new UserException(ex.Message, ExitCodes.Usage);
        }

        return new PlanOptions
        {
            PathMappings = mappings,
            AutoPathMap = specs.Any(s => s.Equals("auto", StringComparison.OrdinalIgnoreCase)),
            ExcludedDatasources = excludes is null ? [] : [.. (context.Get(excludes) ?? []).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
    }

    private (CellsService? Service, BackupMode Mode) ReadMode(CommandContext context)
    {
        var stop = context.Get(StopCommand);
        var start = context.Get(StartCommand);
        var unit = context.Get(SystemdUnit);
        var hot = context.Get(Hot);
        if ((stop is null) != (start is null))
        {
            throw new UserException("--stop-command and --start-command go together: give both (or --systemd-unit NAME).", ExitCodes.Usage);
        }

        var ways = (stop is not null ? 1 : 0) + (unit is not null ? 1 : 0) + (hot ? 1 : 0);
        if (ways > 1)
        {
            throw new UserException("choose one of --stop-command/--start-command, --systemd-unit and --hot.", ExitCodes.Usage);
        }

        if (unit is not null)
        {
            try
            {
                return (CellsService.ForSystemdUnit(unit), BackupMode.Quiesced);
            }
            catch (ArgumentException ex)
            {
                throw new UserException(ex.Message, ExitCodes.Usage);
            }
        }

        return stop is not null ? (new CellsService(stop, start!), BackupMode.Quiesced) : (null, hot ? BackupMode.Hot : BackupMode.Stopped);
    }

    internal static Cellar.Cells.ObjectStorage.DatasourceCredentials ReadCredentials(CommandContext context, Option<string?> option) =>
        context.Get(option) is { } file ? Cellar.Cells.ObjectStorage.DatasourceCredentials.Read(Path.GetFullPath(file, context.Environment.CurrentDirectory)) : Cellar.Cells.ObjectStorage.DatasourceCredentials.None;

    internal static Action<string> Sayer(CommandContext context)
    {
        var writer = context.Json ? context.Error : context.Out;
        var quiet = context.Quiet;
        var gate = new object();
        return line =>
        {
            if (quiet && !line.StartsWith("WARNING", StringComparison.Ordinal) && !line.StartsWith("!!!", StringComparison.Ordinal) && !line.StartsWith("ERROR", StringComparison.Ordinal))
            {
                return;
            }

            lock (gate)
            {
                writer.WriteLine(line);
            }
        };
    }
}
