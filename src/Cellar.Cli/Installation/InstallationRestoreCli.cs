using System.CommandLine;
using Cellar.Cells;
using Cellar.Cells.Discovery;
using Cellar.Cells.Installation;
using Cellar.Repository;

namespace Cellar.Cli.Installation;

/// <summary><c>cellar restore SNAPSHOT|latest</c> without <c>--target</c>: the whole installation back in place (or relocated).</summary>
internal sealed class InstallationRestoreCli
{
    public Option<string?> CellsDir { get; } = new("--cells-dir") { Description = "No --target: restore the installation with this working dir (relocates pydio.json)" };
    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "No --target: put the data dir here (relocates pydio.json)" };
    public Option<string?> DbDsn { get; } = new("--db-dsn") { Description = "No --target: load the database here and write this DSN into pydio.json" };
    public Option<bool> Force { get; } = new("--force") { Description = "No --target: overwrite non-empty folders, a database that has tables and buckets that hold objects" };
    public Option<string?> DatasourceCredentials { get; } = new("--datasource-credentials") { Description = "File of 'NAME ACCESS_KEY SECRET_KEY' lines for S3 datasources (mode 600; default: the snapshot's pydio.json and vault)" };
    public Option<string[]> S3Target { get; } = new("--s3-target") { Description = "No --target: put an S3 datasource's objects elsewhere: [NAME=]s3:http(s)://host[:port]/bucket[/prefix]", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> RestoreCommand { get; } = new("--restore-command") { Description = "No --target: NAME='CMD': feed the stored output of --dump-command NAME to CMD's standard input, e.g. mongo='mongorestore --uri=URI --archive --drop' (repeatable)" };
    public Option<bool> NewHost { get; } = new("--new-host") { Description = "No --target: the installation moves to another host: remove PeerAddress from pydio.json and say what else to check" };
    public Option<string[]> PathMaps { get; } = new("--path-map") { Description = "No --target: OLD=NEW puts what was at OLD (e.g. an external datasource folder) at NEW and rewrites pydio.json; repeatable" };

    /// <summary>The options of this mode only (refused with --target).</summary>
    public IReadOnlyList<Option> Options => [CellsDir, DataDir, DbDsn, Force, NewHost, PathMaps, RestoreCommand, DatasourceCredentials, S3Target];

    public void AddTo(Command command)
    {
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
    }

    private static Dictionary<string, string> ParseTargets(string[] values)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var scheme = value.IndexOf("s3:", StringComparison.Ordinal);
            var (name, location) = equals > 0 && (scheme < 0 || equals < scheme) ? (value[..equals], value[(equals + 1)..]) : ("", value);
            if (!targets.TryAdd(name, location))
            {
                throw new UserException($"--s3-target names {(name.Length == 0 ? "the datasource" : "datasource " + name)} twice; give one target per datasource as NAME=s3:….", ExitCodes.Usage);
            }
        }

        return targets;
    }

    /// <summary>--path-map OLD=NEW on restore: OLD as the snapshot has it, NEW where it goes.</summary>
    private List<(string From, string To)> ReadMoves(CommandContext context, string currentDirectory)
    {
        try
        {
            return (context.Get(PathMaps) ?? []).Select(PathMap.ParseOne).Select(m => (m.ConfigPath, Path.GetFullPath(m.HostPath, currentDirectory))).ToList();
        }
        catch (ArgumentException ex)
        {
            throw new UserException(ex.Message, ExitCodes.Usage);
        }
    }

    public async Task<int> RunAsync(CommandContext context, string spec, SnapshotFilter filter)
    {
        var say = InstallationBackupCli.Sayer(context);
        IReadOnlyList<CommandSource> restoreCommands;
        try
        {
            restoreCommands = CommandSource.ParseAll("--restore-command", context.Get(RestoreCommand) ?? []);
        }
        catch (ArgumentException ex)
        {
            throw new UserException(ex.Message, ExitCodes.Usage);
        }

        var env = context.Environment;
        var cellsDir = context.Get(CellsDir) is { } c ? Path.GetFullPath(c, env.CurrentDirectory) : null;
        var dataDir = context.Get(DataDir) is { } d ? Path.GetFullPath(d, env.CurrentDirectory) : null;
        string workingDir = cellsDir ?? InstallationDiscovery.Discover(DiscoveryInput.FromProcess(null, env.GetVariable, env.CurrentDirectory)).WorkingDir;
        await using var repository = await InstallationRepository.OpenAsync(context, workingDir, create: false, say).ConfigureAwait(false);
        var cellsFilter = filter.Tags is { Count: > 0 } ? filter : filter with { Tags = [SnapshotLayout.Tag] };
        // 'latest' never takes a pass-1 snapshot a quiesced backup left when it was killed in pass 2: it is no installation backup.
        var snapshot = spec == "latest"
            ? (await repository.ListSnapshotsAsync(context.CancellationToken, cellsFilter).ConfigureAwait(false))
                .LastOrDefault(s => !(s.Tags ?? []).Contains(SnapshotLayout.PassOneTag, StringComparer.Ordinal))
              ?? throw new SnapshotNotFoundException("no Cells installation snapshot matches the filter (latest)")
            : await repository.FindSnapshotAsync(spec, context.CancellationToken, filter).ConfigureAwait(false);
        say($"restoring Cells installation snapshot {snapshot.Id.ToShortString()} of {snapshot.Time} ({string.Join(",", snapshot.Tags ?? [])})");
        var options = new InstallationRestoreOptions
        {
            CellsDir = cellsDir,
            DataDir = dataDir,
            DatabaseDsn = context.Get(DbDsn),
            Force = context.Get(Force),
            DatasourceCredentials = InstallationBackupCli.ReadCredentials(context, DatasourceCredentials),
            S3Targets = ParseTargets(context.Get(S3Target) ?? []),
            RestoreCommands = restoreCommands,
            NewHost = context.Get(NewHost),
            Moves = ReadMoves(context, env.CurrentDirectory),
            Log = say,
        };
        var result = await new InstallationRestore(repository, snapshot, options).RunAsync(context.CancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems)
            {
                await context.Error.WriteLineAsync("cellar: " + problem).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("cellar: the restore is INCOMPLETE; do not start Cells before the problems above are solved.").ConfigureAwait(false);
            return ExitCodes.Fatal;
        }

        foreach (var peer in result.ClearedPeerAddresses)
        {
            await context.Out.WriteLineAsync($"PeerAddress removed: {peer}").ConfigureAwait(false);
        }

        foreach (var check in result.ToCheck)
        {
            await context.Out.WriteLineAsync($"Check: {check}").ConfigureAwait(false);
        }

        var where = result.Placed.FirstOrDefault(p => p.From == result.Manifest.WorkingDir).To ?? result.Manifest.WorkingDir;
        await context.Out.WriteLineAsync($"the Cells installation is restored at {where}" +
            (result.KeptOriginalConfig is null ? "" : $" (pydio.json relocated; original kept as {result.KeptOriginalConfig})") + ".").ConfigureAwait(false);
        await context.Out.WriteLineAsync(
            (where != result.Manifest.WorkingDir ? $"Now run: CELLS_WORKING_DIR={where} cells start" : "Now run: cells start") +
            (result.Manifest.Stores.Any(s => s.Status == "rebuildable") ? " (search indexes will be rebuilt)" : "")).ConfigureAwait(false);

        // Dump-command output not fed back is still only in the snapshot: say where, and how to feed it.
        foreach (var stored in result.Manifest.Commands.Where(c => restoreCommands.All(r => r.Name != c.Name)))
        {
            await context.Error.WriteLineAsync(
                $"cellar: WARNING: the snapshot holds the output of the dump command {stored.Name}, which was not restored; " +
                $"feed it back with --restore-command {stored.Name}='CMD' (e.g. mongorestore --archive), or restore it to a folder with: cellar restore {snapshot.Id.ToShortString()}:{SnapshotLayout.Commands} --target DIR.").ConfigureAwait(false);
        }

        var mongo = result.Manifest.MongoStores.Where(m => !m.Included).ToList();
        if (mongo.Count > 0)
        {
            await context.Error.WriteLineAsync(
                $"cellar: WARNING: snapshot {snapshot.Id.ToShortString()} is incomplete: it does not hold the MongoDB stores ({ManifestMongoStore.Describe(mongo)}); " +
                "restore them from your own MongoDB backup before starting Cells.").ConfigureAwait(false);
        }

        // A BoltDB store that never read sound at backup time is not in the snapshot: Cells would start
        // with it missing (an empty store), so the restore says so loudly and exits "incomplete".
        var lost = result.Manifest.Stores.Where(s => s.Kind == "bolt" && s.StoredAt is null && s.Status == "torn").ToList();
        if (lost.Count > 0)
        {
            foreach (var store in lost)
            {
                await context.Error.WriteLineAsync($"cellar: WARNING: BoltDB file {store.Path} was not stored in this snapshot ({store.Detail}); the restored installation lacks it.").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync(
                $"cellar: snapshot {snapshot.Id.ToShortString()} is incomplete; an earlier complete snapshot ('cellar snapshots --tag {SnapshotLayout.Tag}') may hold what it lacks.").ConfigureAwait(false);
            return ExitCodes.Incomplete;
        }

        return mongo.Count > 0 ? ExitCodes.Incomplete : ExitCodes.Success;
    }
}
