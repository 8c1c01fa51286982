using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cellar.Cells.Monitoring;
using Cellar.Cells.Scheduling;
using Cellar.Cli.Commands.Forget;
using Cellar.Cli.Repositories;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar schedule install|status|remove</c>: a nightly installation backup (and forget, and a
/// drill) as systemd service + timer units, or cron lines where there is no systemd.
/// </summary>
internal sealed class ScheduleCommand : ICellarCommand
{
    private const string DefaultUnitDir = "/etc/systemd/system";

    public Command Build(GlobalOptions globals)
    {
        var command = new Command("schedule", "Run the Cells backup every night: install, show or remove the systemd timer (or cron entry)");
        var unitDir = new Option<string?>("--unit-dir") { Description = $"Where the units go (default: $CELLAR_SYSTEMD_DIR or {DefaultUnitDir})" };
        command.Options.Add(unitDir);
        unitDir.Recursive = true;
        command.Subcommands.Add(Install(globals, unitDir));
        command.Subcommands.Add(Status(globals, unitDir));
        command.Subcommands.Add(Remove(globals, unitDir));
        return command;
    }

    private static Command Install(GlobalOptions globals, Option<string?> unitDir)
    {
        var command = new Command("install", "Write the backup's systemd service and timer (a cron entry without systemd); the units name the password file, never the password");
        var at = new Option<string>("--at") { Description = "Time of day of the backup, HH:MM (local time)", DefaultValueFactory = _ => "03:15" };
        var keep = new ForgetPolicyOptions();
        var systemdUnit = new Option<string?>("--systemd-unit") { Description = "Stop/start Cells with systemctl around the backup's second pass" };
        var stop = new Option<string?>("--stop-command") { Description = "Shell command that stops Cells for the second pass" };
        var start = new Option<string?>("--start-command") { Description = "Shell command that starts Cells again" };
        var hot = new Option<bool>("--hot") { Description = "Back up without stopping Cells" };
        var cellsDir = new Option<string?>("--cells-dir") { Description = "Cells working dir (default: as Cells finds it)" };
        var drill = new Option<string?>("--drill") { Description = "Also drill the latest snapshot: daily, weekly or monthly (two hours after the backup)" };
        var pingUrl = new Option<string?>("--ping-url") { Description = "Healthchecks-style URL the backup pings (start, success, fail)" };
        var metrics = new Option<string?>("--metrics-file") { Description = "Prometheus textfile the backup writes (default: node_exporter's textfile folder when present, else /var/lib/cellar/cellar.prom)" };
        var cellar = new Option<string?>("--cellar") { Description = "Path of the cellar executable the units run (default: this one)" };
        var cron = new Option<bool>("--cron") { Description = "Print a cron entry instead of writing systemd units" };
        foreach (var option in new Option[] { at, systemdUnit, stop, start, hot, cellsDir, drill, pingUrl, metrics, cellar, cron })
        {
            command.Options.Add(option);
        }

        keep.AddTo(command);
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var env = context.Environment;
            if (!TimeOnly.TryParseExact(context.Get(at), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                throw new UserException($"--at needs a time of day as HH:MM, not '{context.Get(at)}'.", ExitCodes.Usage);
            }

            var passwordFile = context.Get(globals.PasswordFile) ?? env.GetVariable("CELLAR_PASSWORD_FILE");
            if (string.IsNullOrWhiteSpace(passwordFile))
            {
                throw new UserException("a schedule reads the password from a file, never from the unit: give --password-file FILE (or set CELLAR_PASSWORD_FILE), a file only root can read.", ExitCodes.Usage);
            }

            passwordFile = Path.GetFullPath(passwordFile, env.CurrentDirectory);
            if (!File.Exists(passwordFile))
            {
                throw new UserException($"the password file {passwordFile} does not exist: write the repository password into it (chmod 600) and run again.", ExitCodes.Usage);
            }

            var repository = RepositoryOpener.ResolveLocation(context);
            if (!repository.Contains(':', StringComparison.Ordinal) || repository.StartsWith("local:", StringComparison.Ordinal))
            {
                var local = repository.StartsWith("local:", StringComparison.Ordinal) ? repository["local:".Length..] : repository;
                repository = Path.GetFullPath(local, env.CurrentDirectory);
            }

            var backupArguments = new List<string>();
            var (stopCommand, startCommand, unit) = (context.Get(stop), context.Get(start), context.Get(systemdUnit));
            if ((stopCommand is null) != (startCommand is null))
            {
                throw new UserException("--stop-command and --start-command go together: give both (or --systemd-unit NAME).", ExitCodes.Usage);
            }

            if (new[] { unit is not null, stopCommand is not null, context.Get(hot) }.Count(b => b) > 1)
            {
                throw new UserException("choose one way to handle the running Cells: --systemd-unit, --stop-command/--start-command, or --hot.", ExitCodes.Usage);
            }

            if (context.Get(cellsDir) is { } dir)
            {
                backupArguments.AddRange(["--cells-dir", Path.GetFullPath(dir, env.CurrentDirectory)]);
            }

            if (unit is not null)
            {
                backupArguments.AddRange(["--systemd-unit", unit]);
            }
            else if (stopCommand is not null)
            {
                backupArguments.AddRange(["--stop-command", stopCommand, "--start-command", startCommand!]);
            }
            else if (context.Get(hot))
            {
                backupArguments.Add("--hot");
            }

            var metricsFile = context.Get(metrics) is { } m
                ? Path.GetFullPath(m, env.CurrentDirectory)
                : Directory.Exists("/var/lib/prometheus/node-exporter") ? "/var/lib/prometheus/node-exporter/cellar.prom" : "/var/lib/cellar/cellar.prom";
            backupArguments.AddRange(["--metrics-file", metricsFile]);
            if (context.Get(pingUrl) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new UserException($"--ping-url must be an http:// or https:// URL, not '{url}'.", ExitCodes.Usage);
                }

                backupArguments.AddRange(["--ping-url", url]);
            }

            var drillEvery = context.Get(drill);
            if (drillEvery is not (null or "daily" or "weekly" or "monthly"))
            {
                throw new UserException($"--drill must be daily, weekly or monthly, not '{drillEvery}'.", ExitCodes.Usage);
            }

            keep.Read(context); // validates the --keep-… values before they go into a unit
            var plan = new SchedulePlan
            {
                Cellar = ResolveCellar(context.Get(cellar), env),
                Repository = repository,
                PasswordFile = passwordFile,
                At = time,
                BackupArguments = backupArguments,
                KeepArguments = KeepArguments(context, keep),
                Drill = drillEvery,
                MetricsFile = metricsFile,
            };

            var explicitDir = context.Get(unitDir) ?? env.GetVariable("CELLAR_SYSTEMD_DIR");
            if (context.Get(cron) || (explicitDir is null && !SystemdRuns()))
            {
                await context.Out.WriteAsync(ScheduleUnits.CronLines(plan)).ConfigureAwait(false);
                await context.Error.WriteLineAsync("cellar: no systemd here: save the lines above as /etc/cron.d/cellar (cron reads them as they are).").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var directory = UnitDir(context, unitDir);
            Directory.CreateDirectory(directory);
            foreach (var (name, text) in ScheduleUnits.Render(plan))
            {
                var path = Path.Combine(directory, name);
                await File.WriteAllTextAsync(path, text, context.CancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync("wrote " + path).ConfigureAwait(false);
            }

            var timers = plan.Drill is null ? new[] { SchedulePlan.BackupUnit + ".timer" } : [SchedulePlan.BackupUnit + ".timer", SchedulePlan.DrillUnit + ".timer"];
            if (directory == DefaultUnitDir && SystemdRuns())
            {
                await SystemctlAsync(context, "daemon-reload").ConfigureAwait(false);
                await SystemctlAsync(context, ["enable", "--now", .. timers]).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"enabled {string.Join(", ", timers)}: the backup runs daily at {time:HH\\:mm}").ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"to start it: systemctl daemon-reload && systemctl enable --now {string.Join(' ', timers)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(GlobalOptions globals, Option<string?> unitDir)
    {
        var command = new Command("status", "Show when the scheduled backup runs next, when it last ran and how it ended");
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var directory = UnitDir(context, unitDir);
            var schedule = InstalledSchedule.Read(directory)
                ?? throw new UserException($"no Cellar schedule is installed in {directory}: set one up with 'cellar schedule install'.", ExitCodes.Fatal);
            var now = DateTimeOffset.Now;
            var last = schedule.MetricsFile is null ? null : MetricsFile.Read(schedule.MetricsFile);
            var next = schedule.NextRun(now);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(new JsonObject
                {
                    ["unit_dir"] = directory,
                    ["repository"] = schedule.Repository,
                    ["at"] = schedule.At?.ToString("HH:mm", CultureInfo.InvariantCulture),
                    ["next_run"] = next,
                    ["drill"] = schedule.DrillCalendar,
                    ["metrics_file"] = schedule.MetricsFile,
                    ["last_run"] = last?.LastRun,
                    ["last_exit_code"] = last?.ExitCode,
                    ["last_result"] = last is null ? null : Result(last.ExitCode),
                    ["last_success"] = last?.LastSuccess,
                    ["last_drill"] = last?.LastDrill,
                    ["last_drill_passed"] = last?.LastDrillPassed,
                    ["last_drill_restore_seconds"] = last?.LastDrillRecoverSeconds,
                }.ToJsonString()).ConfigureAwait(false);
                return last is null || last.ExitCode == 0 ? ExitCodes.Success : ExitCodes.Incomplete;
            }

            await context.Out.WriteLineAsync($"backup:       daily at {schedule.At:HH\\:mm} to {schedule.Repository} (units in {directory})").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"next run:     {(next is { } n ? n.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : "unknown")}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"drill:        {schedule.DrillCalendar ?? "none scheduled"}").ConfigureAwait(false);
            if (last is null)
            {
                await context.Out.WriteLineAsync($"last run:     none yet (no figures in {schedule.MetricsFile ?? "(no --metrics-file)"})").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync($"last run:     {Local(last.LastRun)}: {Result(last.ExitCode)} (exit code {last.ExitCode})").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"last success: {(last.LastSuccess is { } s ? Local(s) : "never")}").ConfigureAwait(false);
            if (last.LastDrill is { } drilled)
            {
                var recover = last.LastDrillRecoverSeconds is { } r ? string.Create(CultureInfo.InvariantCulture, $", restore took {r:0.0} s") : "";
                await context.Out.WriteLineAsync($"last drill:   {Local(drilled)}: {(last.LastDrillPassed == true ? "passed" : "FAILED")}{recover}").ConfigureAwait(false);
            }

            return last.ExitCode == 0 ? ExitCodes.Success : ExitCodes.Incomplete;
        });
        return command;
    }

    private static Command Remove(GlobalOptions globals, Option<string?> unitDir)
    {
        var command = new Command("remove", "Stop and remove the scheduled backup (and drill); the repository is not touched");
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var directory = UnitDir(context, unitDir);
            var names = new[] { SchedulePlan.BackupUnit + ".timer", SchedulePlan.BackupUnit + ".service", SchedulePlan.DrillUnit + ".timer", SchedulePlan.DrillUnit + ".service" };
            var present = names.Where(n => File.Exists(Path.Combine(directory, n))).ToList();
            if (present.Count == 0)
            {
                await context.Out.WriteLineAsync($"no Cellar schedule in {directory}: nothing to remove").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (directory == DefaultUnitDir && SystemdRuns())
            {
                await SystemctlAsync(context, ["disable", "--now", .. present.Where(n => n.EndsWith(".timer", StringComparison.Ordinal))]).ConfigureAwait(false);
            }

            foreach (var name in present)
            {
                File.Delete(Path.Combine(directory, name));
                await context.Out.WriteLineAsync("removed " + Path.Combine(directory, name)).ConfigureAwait(false);
            }

            if (directory == DefaultUnitDir && SystemdRuns())
            {
                await SystemctlAsync(context, "daemon-reload").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Result(int exitCode) => exitCode switch
    {
        0 => "done",
        3 => "INCOMPLETE",
        130 => "INTERRUPTED",
        _ => "FAILED",
    };

    private static string Local(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string UnitDir(CommandContext context, Option<string?> unitDir) =>
        Path.GetFullPath(context.Get(unitDir) ?? context.Environment.GetVariable("CELLAR_SYSTEMD_DIR") ?? DefaultUnitDir, context.Environment.CurrentDirectory);

    /// <summary>systemd is this machine's init (sd_booted: /run/systemd/system exists).</summary>
    private static bool SystemdRuns() => Directory.Exists("/run/systemd/system");

    private static List<string> KeepArguments(CommandContext context, ForgetPolicyOptions keep)
    {
        var result = new List<string>();
        foreach (var option in new[] { keep.Last, keep.Hourly, keep.Daily, keep.Weekly, keep.Monthly, keep.Yearly, keep.Within, keep.WithinHourly, keep.WithinDaily, keep.WithinWeekly, keep.WithinMonthly, keep.WithinYearly })
        {
            if (context.Get(option) is { } value)
            {
                result.AddRange([option.Name, value]);
            }
        }

        foreach (var tag in context.Get(keep.KeepTag) ?? [])
        {
            result.AddRange([keep.KeepTag.Name, tag]);
        }

        return result;
    }

    private static string ResolveCellar(string? given, CliEnvironment env)
    {
        if (given is not null)
        {
            var path = Path.GetFullPath(given, env.CurrentDirectory);
            return File.Exists(path) ? path : throw new UserException($"--cellar {path} does not exist: give the path of the cellar executable the timer should run.", ExitCodes.Usage);
        }

        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == "cellar")
        {
            return self;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "cellar");
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (var folder in (env.GetVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "cellar")))
            {
                return Path.Combine(folder, "cellar");
            }
        }

        throw new UserException("cannot tell where the cellar executable is: give its path with --cellar PATH (publish it first, e.g. to /usr/local/bin/cellar).", ExitCodes.Usage);
    }

    private static Task SystemctlAsync(CommandContext context, string argument) => SystemctlAsync(context, [argument]);

    private static async Task SystemctlAsync(CommandContext context, string[] arguments)
    {
        var start = new ProcessStartInfo("systemctl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new UserException("systemctl could not be started.");
        var error = await process.StandardError.ReadToEndAsync(context.CancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(context.CancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new UserException($"systemctl {string.Join(' ', arguments)} failed: {error.Trim()}");
        }
    }
}
