using System.CommandLine;
using Cellar.Databases;
using Cellar.Databases.MySql;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar db restore</c>: loads a dump file or folder, tables in parallel, then views and triggers.</summary>
internal static class DbRestoreCommand
{
    public static Command Build(GlobalOptions globals)
    {
        var dsn = new Option<string>("--dsn") { Description = "Database to load into (created when missing)", Required = true };
        var force = new Option<bool>("--force") { Description = "Load even when the database already has tables (dumped tables are replaced)" };
        var parallel = new Option<int?>("--parallel") { Description = "Tables loaded at once" };
        var source = new Argument<string>("FILE|DIR") { Description = "A SQL file (or - for standard input) or a folder written by db dump --dir" };
        var command = new Command("restore", "Load a dump into a database") { dsn, force, parallel, source };
        command.SetHandler(globals, CommandLock.None, context => DbCommand.GuardAsync(async () =>
        {
            var target = DbCommand.ParseDsn(context.Get(dsn), "--dsn");
            var options = new RestoreOptions { Force = context.Get(force) };
            if (context.Get(parallel) is { } p)
            {
                options = options with { Parallelism = Math.Max(1, p) };
            }

            var input = context.Get(source)!;
            RestoreSummary summary;
            if (input == "-")
            {
                await using var stdin = Console.OpenStandardInput();
                summary = await MySqlLoader.RestoreStreamAsync(DbCommand.SingleScript(target, "a restore"), stdin, options, context.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                var path = Path.GetFullPath(input, context.Environment.CurrentDirectory);
                if (Directory.Exists(path))
                {
                    summary = await target.Engine.RestoreAsync(target, new DirectoryDumpSource(path), options, context.CancellationToken).ConfigureAwait(false);
                }
                else if (File.Exists(path))
                {
                    summary = await MySqlLoader.RestoreFileAsync(DbCommand.SingleScript(target, "a restore"), path, options, context.CancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throw new UserException($"{input} does not exist; give a SQL file or a folder written by 'cellar db dump --dir'.");
                }
            }

            if (!context.Quiet)
            {
                await context.Out.WriteLineAsync(
                    $"restored {summary.Tables.Count} tables ({summary.TotalRows} rows) and {summary.Objects} views/triggers into {target} in {summary.Duration.TotalSeconds:F1}s")
                    .ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
