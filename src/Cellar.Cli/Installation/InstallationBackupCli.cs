using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cellar.Cells;
using Cellar.Cells.Discovery;
using Cellar.Cells.Installation;
using Cellar.Cells.ObjectStorage;

namespace Cellar.Cli.Installation;

/// <summary>
/// <c>cellar backup</c> without paths: the options it adds to the backup command, and the run
/// (discover → plan → one snapshot of the whole installation, quiesced or hot on request).
/// </summary>
internal sealed class InstallationBackupCli
{
    static InstallationBackupCli()
    {
        ErrorReporter.Register(ex => ex switch
        {
            CellsRunningException or InstallationRefusedException => (ex.Message, ExitCodes.Fatal),
            CellsConfigException => (ex.Message, ExitCodes.Fatal),
            _ => null,
        });
    }

    public Option<string?> CellsDir { get; } = new("--cells-dir") { Description = "Cells working dir (no paths given; default: as Cells finds it)" };
    public Option<string?> StopCommand { get; } = new("--stop-command") { Description = "Shell command that stops Cells for the short second pass" };
    public Option<string?> StartCommand { get; } = new("--start-command") { Description = "Shell command that starts Cells again (always run after --stop-command)" };
    public Option<string?> SystemdUnit { get; } = new("--systemd-unit") { Description = "Stop/start Cells with systemctl around the second pass" };
    public Option<bool> Hot { get; } = new("--hot") { Description = "Do not stop Cells: verify every BoltDB copy as read, mark changed search indexes rebuildable" };
    public Option<string?> DatasourceCredentials { get; } = new("--datasource-credentials") { Description = "File of 'NAME ACCESS_KEY SECRET_KEY' lines for S3 datasources (mode 600; default: pydio.json and the vault)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { CellsDir, StopCommand, StartCommand, SystemdUnit, Hot, DatasourceCredentials })
        {
            command.Options.Add(option);
        }
    }

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> tags, string? host)
    {
        var say = Sayer(context);
        var (service, mode) = ReadMode(context);
        var env = context.Environment;
        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(context.Get(CellsDir), env.GetVariable, env.CurrentDirectory));
        say($"Cells {plan.CellsVersion ?? "(unknown version)"} at {plan.Locations.WorkingDir} ({plan.Locations.Sources.GetValueOrDefault("working_dir", "default")})");
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
            Log = say,
        };
        var result = await new InstallationBackup(repository, plan, options).RunAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                message_type = "summary",
                snapshot_id = result.SnapshotId.ToString(),
                complete = !result.Incomplete,
                backup_seconds = result.Duration.TotalSeconds,
                downtime_seconds = result.Downtime.TotalSeconds,
                start_failure = result.StartFailure,
                stores = result.Manifest.Stores.Select(s => new { path = s.Path, kind = s.Kind, status = s.Status }),
            })).ConfigureAwait(false);
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

        return result.FileWarnings > 0 ? ExitCodes.Incomplete : ExitCodes.Success;
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
