using System.CommandLine;
using Cellar.Databases;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar db copy</c>: streams one database into another without a temporary file.</summary>
internal static class DbCopyCommand
{
    public static Command Build(GlobalOptions globals)
    {
        var dsn = new Option<string>("--dsn") { Description = "Database to copy from", Required = true };
        var to = new Option<string>("--to") { Description = "Database to copy into (created when missing; same or another server)", Required = true };
        var force = new Option<bool>("--force") { Description = "Copy even when the target already has tables" };
        var command = new Command("copy", "Copy a database into another, all tables from one moment") { dsn, to, force };
        command.SetHandler(globals, CommandLock.None, context => DbCommand.GuardAsync(async () =>
        {
            var source = DbCommand.ParseDsn(context.Get(dsn), "--dsn");
            var target = DbCommand.ParseDsn(context.Get(to), "--to");
            if (source.Engine != target.Engine)
            {
                throw new UserException($"--dsn is {source.Engine.DisplayName} and --to is {target.Engine.DisplayName}; a copy stays within one engine.", ExitCodes.Usage);
            }

            var copy = await source.Engine.CopyAsync(source, target, null, new RestoreOptions { Force = context.Get(force) }, context.CancellationToken).ConfigureAwait(false);
            if (!context.Quiet)
            {
                await context.Out.WriteLineAsync(
                    $"copied {copy.Dump.Tables.Count} tables ({copy.Restore.TotalRows} rows), {copy.Dump.Views} views, {copy.Dump.Triggers} triggers from {source} to {target} in {copy.Restore.Duration.TotalSeconds:F1}s")
                    .ConfigureAwait(false);
                await context.Out.WriteLineAsync("consistency: " + copy.Dump.GuaranteeDescription).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
