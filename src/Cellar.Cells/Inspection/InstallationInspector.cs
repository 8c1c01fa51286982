using Cellar.Cells.Discovery;
using Cellar.Cells.Running;

namespace Cellar.Cells;

/// <summary>Measures a plan: sizes and file counts of every path, the database, and whether Cells runs.</summary>
public static class InstallationInspector
{
    public static async Task<InstallationReport> InspectAsync(DiscoveryInput input, bool contactDatabase, CancellationToken cancellationToken, PlanOptions? options = null)
    {
        var plan = InstallationPlanner.Plan(input, options);
        var usage = await Task.Run(() => plan.Paths.Select(p => Measure(p, cancellationToken)).ToList(), cancellationToken).ConfigureAwait(false);
        var database = contactDatabase
            ? await DatabaseProbe.ProbeAsync(plan.Config.SqlDsn, cancellationToken).ConfigureAwait(false)
            : new DatabaseInfo(plan.Database.ToString(), false, null, null, null, "not contacted (--no-db)");
        var running = RunningState.Detect(plan.BoltFiles);
        var warnings = new List<string>(plan.Warnings);
        if (database.Error is not null && contactDatabase)
        {
            warnings.Add($"the database at {database.Server} could not be reached: {database.Error}");
        }

        if (plan.DescribeMissing() is { } missing)
        {
            warnings.Add("a backup would refuse: " + missing);
        }

        if (running.IsRunning)
        {
            warnings.Add("Cells is running: a plain copy of its stores would be torn; stop it or use a quiesced backup.");
        }

        return new InstallationReport(plan, usage, database, running, warnings);
    }

    private static PathUsage Measure(PlannedPath path, CancellationToken cancellationToken)
    {
        if (File.Exists(path.Path))
        {
            return new PathUsage(path.Path, path.Role, true, new FileInfo(path.Path).Length, 1) { Origin = path.Origin, ConfigPath = path.ConfigPath };
        }

        if (!Directory.Exists(path.Path))
        {
            return new PathUsage(path.Path, path.Role, false, 0, 0) { Origin = path.Origin, ConfigPath = path.ConfigPath };
        }

        long bytes = 0, files = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var info in new DirectoryInfo(path.Path).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                bytes += info.Length;
            }

            files++;
        }

        return new PathUsage(path.Path, path.Role, true, bytes, files) { Origin = path.Origin, ConfigPath = path.ConfigPath };
    }
}
