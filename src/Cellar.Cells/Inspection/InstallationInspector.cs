using Cellar.Cells.Discovery;
using Cellar.Cells.ObjectStorage;
using Cellar.Cells.Running;

namespace Cellar.Cells;

/// <summary>Measures a plan: sizes and file counts of every path, the database, and whether Cells runs.</summary>
public static class InstallationInspector
{
    public static async Task<InstallationReport> InspectAsync(DiscoveryInput input, bool contactDatabase, CancellationToken cancellationToken, PlanOptions? options = null, DatasourceCredentials? credentials = null)
    {
        var plan = InstallationPlanner.Plan(input, options);
        var usage = await Task.Run(() => plan.Paths.Select(p => Measure(p, cancellationToken)).ToList(), cancellationToken).ConfigureAwait(false);
        var database = contactDatabase
            ? await DatabaseProbe.ProbeAsync(plan.Database, cancellationToken).ConfigureAwait(false)
            : new DatabaseInfo(plan.Database.ToString(), false, null, null, null, "not contacted (--no-db)") { Engine = plan.Database.Engine.DisplayName };
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

        var objectStorage = await ListBucketsAsync(plan, credentials ?? DatasourceCredentials.None, cancellationToken).ConfigureAwait(false);
        warnings.AddRange(objectStorage.Where(u => u.Error is not null).Select(u => u.Error!));
        return new InstallationReport(plan, usage, database, running, warnings) { ObjectStorage = objectStorage };
    }

    private static async Task<List<S3Usage>> ListBucketsAsync(InstallationPlan plan, DatasourceCredentials credentials, CancellationToken cancellationToken)
    {
        var result = new List<S3Usage>();
        var access = new S3DatasourceAccess(plan.Locations.VaultFile, plan.Locations.KeyringFile, credentials) { RetryDelays = [TimeSpan.FromSeconds(1)] };
        foreach (var datasource in plan.Datasources.Where(d => d.S3 is { Bucket: not null, BucketsRegexp: null }))
        {
            var storage = datasource.S3!;
            long objects = 0, bytes = 0;
            try
            {
                using var store = access.Open(datasource.Name, storage);
                await foreach (var entry in store.ListAsync(storage.Prefix.Length == 0 ? "" : storage.Prefix + "/", cancellationToken).ConfigureAwait(false))
                {
                    objects++;
                    bytes += entry.Size;
                }

                result.Add(new S3Usage(datasource.Name, storage.ToString(), objects, bytes, null));
            }
            catch (Exception ex) when (ex is IOException or CellsConfigException)
            {
                result.Add(new S3Usage(datasource.Name, storage.ToString(), 0, 0, ex.Message));
            }
        }

        return result;
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
