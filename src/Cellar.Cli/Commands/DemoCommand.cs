using System.CommandLine;
using System.Security.Cryptography;
using Cellar.Cells;
using Cellar.Cells.Discovery;
using Cellar.Cells.Installation;
using Cellar.Cli.Installation;
using Cellar.Databases.MySql;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar demo</c>: a sample Cells installation in a temp folder (with a private MariaDB when one
/// is installed), backed up, destroyed, restored and compared, every step printed. Exit 0 only
/// when the restored installation equals the original.
/// </summary>
internal sealed class DemoCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo folder (installation, repository, password) to look at afterwards" };
        var command = new Command("demo", "Back up, destroy, restore and verify a sample Cells installation in a temp folder");
        command.Options.Add(keep);
        command.SetHandler(globals, async context =>
        {
            var ct = context.CancellationToken;
            var say = InstallationBackupCli.Sayer(context);
            var root = Directory.CreateTempSubdirectory("cellar-demo-").FullName;
            var workingDir = Path.Combine(root, "cells");
            var external = Path.Combine(root, "external-storage");
            var passed = false;
            PrivateMariaDb? database = null;
            try
            {
                say($"[1/6] starting a private MariaDB in {root}/mariadb");
                var (server, reason) = await PrivateMariaDb.TryStartAsync(Path.Combine(root, "mariadb"), ct).ConfigureAwait(false);
                database = server;
                if (server is null)
                {
                    say($"      skipped: {reason}; the demo goes on without the database part.");
                }
                else
                {
                    await server.ExecuteAsync("CREATE DATABASE cells CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "", ct).ConfigureAwait(false);
                    await server.ExecuteAsync(
                        "CREATE TABLE idm_user_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255), mpath BLOB);" +
                        "INSERT INTO idm_user_idx_tree VALUES ('u-admin','admin',UNHEX('0001')),('u-emile','émile',UNHEX('0002'));" +
                        "CREATE TABLE data_index_pydiods1_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255), size BIGINT);" +
                        "INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1','Welcome.md',64),('n2','holiday.jpg',400000);", "cells", ct).ConfigureAwait(false);
                    say("      database 'cells' with 2 tables ready");
                }

                say($"[2/6] creating a sample Cells installation: {workingDir} (+ an external datasource in {external})");
                DemoInstallation.Create(workingDir, external, server?.Dsn("cells") ?? "pydio:demo@tcp(127.0.0.1:3306)/cells");
                var before = DemoInstallation.Fingerprint(workingDir, external);
                var tablesBefore = server is null ? "" : await server.DescribeAsync("cells", "idm_user_idx_tree", ct).ConfigureAwait(false) + await server.DescribeAsync("cells", "data_index_pydiods1_idx_tree", ct).ConfigureAwait(false);
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
                    SkipDatabaseBecause = server is null ? reason : null,
                }).RunAsync(ct).ConfigureAwait(false);
                await repository.LoadIndexAsync(ct).ConfigureAwait(false);

                say("[4/6] destroying the installation" + (server is null ? "" : " and dropping its database"));
                Directory.Delete(workingDir, recursive: true);
                Directory.Delete(external, recursive: true);
                if (server is not null)
                {
                    await server.ExecuteAsync("DROP DATABASE cells", "", ct).ConfigureAwait(false);
                }

                say($"[5/6] restoring snapshot {backup.SnapshotId.ToShortString()} where it was");
                var snapshot = await repository.LoadSnapshotAsync(backup.SnapshotId, ct).ConfigureAwait(false);
                var restore = await new InstallationRestore(repository, snapshot, new InstallationRestoreOptions { Log = line => say("      " + line) }).RunAsync(ct).ConfigureAwait(false);

                say("[6/6] verifying: every file's content, owner, mode and time" + (server is null ? "" : ", every row") + ", every BoltDB store");
                var after = DemoInstallation.Fingerprint(workingDir, external);
                var differences = before.Where(b => !after.TryGetValue(b.Key, out var a) || a != b.Value).Select(b => b.Key)
                    .Concat(after.Keys.Where(k => !before.ContainsKey(k))).ToList();
                var tablesAfter = server is null ? "" : await server.DescribeAsync("cells", "idm_user_idx_tree", ct).ConfigureAwait(false) + await server.DescribeAsync("cells", "data_index_pydiods1_idx_tree", ct).ConfigureAwait(false);
                foreach (var difference in differences.Take(10))
                {
                    say($"      DIFFERS: {difference}");
                }

                if (tablesAfter != tablesBefore)
                {
                    say("      DIFFERS: the database rows");
                }

                passed = differences.Count == 0 && tablesAfter == tablesBefore && restore.Succeeded && !backup.Incomplete;
                say(passed
                    ? $"demo PASSED: {after.Count} files and folders, {restore.StoresVerified} BoltDB stores and {(server is null ? "no database (skipped)" : restore.RowsLoaded + " database rows")} came back exactly."
                    : "demo FAILED: the restored installation differs (see above).");
                say(passed ? "Your turn: cellar backup (on the Cells server), then cellar restore latest — the README's user guide walks through it." : "");
            }
            finally
            {
                if (database is not null)
                {
                    await database.DisposeAsync().ConfigureAwait(false);
                }

                if (context.Get(keep))
                {
                    say($"kept {root}");
                }
                else
                {
                    Directory.Delete(root, recursive: true);
                }
            }

            return passed ? ExitCodes.Success : ExitCodes.Fatal;
        });
        return command;
    }
}
