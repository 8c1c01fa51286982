using System.Security.Cryptography;
using Cellar.Cells.Discovery;
using Cellar.Cells.Installation;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Cells.Demo;

/// <summary>
/// <c>cellar demo</c>'s scenario: a sample Cells v5 installation in <paramref name="root"/>, its
/// database on SQLite (no server needed) or on a private MariaDB or PostgreSQL server, backed up
/// into a new repository there, destroyed, restored where it was and compared, every step said
/// through <paramref name="say"/>. Passes only when every file, row and BoltDB store came back.
/// </summary>
public sealed class DemoScenario(string engine, string root, Action<string> say)
{
    /// <summary>The database engines the sample installation can use.</summary>
    public static IReadOnlyList<string> Engines => DemoDatabase.Engines;

    /// <summary>Runs the six steps; true when the restored installation is the one backed up.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var workingDir = Path.Combine(root, "cells");
        var external = Path.Combine(root, "external-storage");
        say(engine == "sqlite" ? "[1/6] creating the database (SQLite: a file in the working dir, no server)" : $"[1/6] starting a private {engine} server in {root}/{engine}");
        await using var database = await DemoDatabase.StartAsync(engine, Path.Combine(root, engine), workingDir, ct).ConfigureAwait(false);
        await database.CreateAsync(ct).ConfigureAwait(false);
        var rowsBefore = await database.RowsAsync(ct).ConfigureAwait(false);
        var rowCount = rowsBefore.Count(c => c == '\n');
        say($"      {database.Description}: {DemoDatabase.Tables.Length} tables, {rowCount} rows");

        say($"[2/6] creating a sample Cells v5 installation: {workingDir} (+ an external datasource in {external})");
        DemoInstallation.Create(workingDir, external, database.Dsn);
        var before = DemoInstallation.Fingerprint(database.LocalFile, workingDir, external);
        say($"      {before.Count} files and folders");

        var repositoryPath = Path.Combine(root, "repository");
        say($"[3/6] backing it up into a new repository {repositoryPath}");
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        await using var backend = new LocalBackend(repositoryPath);
        await using var repository = await RepositoryInitializer.InitializeAsync(backend, password, 2, ct).ConfigureAwait(false);
        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(workingDir, _ => null, root));
        var backup = await new InstallationBackup(repository, plan, new InstallationBackupOptions
        {
            Log = line => say("      " + line),
        }).RunAsync(ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(ct).ConfigureAwait(false);

        say("[4/6] destroying the installation and " + (database.LocalFile is null ? "dropping its database" : "its database file"));
        Directory.Delete(workingDir, recursive: true);
        Directory.Delete(external, recursive: true);
        await database.DropAsync(ct).ConfigureAwait(false);

        say($"[5/6] restoring snapshot {backup.SnapshotId.ToShortString()} where it was");
        var snapshot = await repository.LoadSnapshotAsync(backup.SnapshotId, ct).ConfigureAwait(false);
        var restore = await new InstallationRestore(repository, snapshot, new InstallationRestoreOptions { Log = line => say("      " + line) }).RunAsync(ct).ConfigureAwait(false);

        say("[6/6] verifying: every file's content, owner, mode and time, every row, every BoltDB store");
        var after = DemoInstallation.Fingerprint(database.LocalFile, workingDir, external);
        var differences = before.Where(b => !after.TryGetValue(b.Key, out var a) || a != b.Value).Select(b => b.Key)
            .Concat(after.Keys.Where(k => !before.ContainsKey(k))).ToList();
        var rowsAfter = await RowsOrNothingAsync(database, ct).ConfigureAwait(false);
        foreach (var difference in differences.Take(10))
        {
            say($"      DIFFERS: {difference}: was {before.GetValueOrDefault(difference, "absent")}, now {after.GetValueOrDefault(difference, "absent")}");
        }

        if (rowsAfter != rowsBefore)
        {
            say("      DIFFERS: the database rows");
        }

        var passed = differences.Count == 0 && rowsAfter == rowsBefore && restore.Succeeded && !backup.Incomplete;
        say(passed
            ? $"demo PASSED: {after.Count} files and folders, {restore.StoresVerified} BoltDB stores and {rowCount} database rows ({database.Description.Split(' ')[0]}) came back exactly."
            : "demo FAILED: the restored installation differs (see above).");
        say(passed ? "Your turn: cellar backup (on the Cells server), then cellar restore latest — the README's user guide walks through it." : "");
        return passed;
    }

    /// <summary>The rows after the restore; none (so: different) when the database did not come back.</summary>
    private static async Task<string?> RowsOrNothingAsync(DemoDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return await database.RowsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
