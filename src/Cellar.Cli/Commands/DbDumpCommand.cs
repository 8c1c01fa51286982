using System.CommandLine;
using Cellar.Databases;
using Cellar.Databases.MySql;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar db dump</c>: one SQL file the stock client loads, or a folder with one file per table.</summary>
internal static class DbDumpCommand
{
    public static Command Build(GlobalOptions globals)
    {
        var dsn = new Option<string>("--dsn") { Description = "Database to dump: user:pass@tcp(host:port)/db, user:pass@unix(/sock)/db, mysql://..., a connection string, postgres://..., or sqlite:///file.db", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write one SQL file here (default: standard output)" };
        var dir = new Option<string?>("--dir") { Description = "Write one file per table plus a header into this folder" };
        var tables = new Option<string[]>("--table") { Description = "Dump only this table (repeatable)", AllowMultipleArgumentsPerToken = false };
        var parallel = new Option<int?>("--parallel") { Description = "Tables read at once (needs the RELOAD privilege for more than 1)" };
        var command = new Command("dump", "Dump a database exactly, all tables from one moment") { dsn, output, dir, tables, parallel };
        command.SetHandler(globals, CommandLock.None, context => DbCommand.GuardAsync(async () =>
        {
            var source = DbCommand.ParseDsn(context.Get(dsn), "--dsn");
            var options = new DumpOptions { Tables = context.Get(tables) ?? [] };
            if (context.Get(parallel) is { } p)
            {
                options = options with { Parallelism = Math.Max(1, p) };
            }

            var outputPath = context.Get(output);
            var dirPath = context.Get(dir);
            if (outputPath is not null && dirPath is not null)
            {
                throw new UserException("give either --output or --dir, not both.", ExitCodes.Usage);
            }

            DumpSummary summary;
            if (dirPath is not null)
            {
                summary = await source.Engine.DumpAsync(source, new DirectoryDumpSink(Path.GetFullPath(dirPath, context.Environment.CurrentDirectory)), options, context.CancellationToken)
                    .ConfigureAwait(false);
            }
            else if (outputPath is not null)
            {
                var path = Path.GetFullPath(outputPath, context.Environment.CurrentDirectory);
                var temp = path + ".partial";
                await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
                {
                    summary = await MySqlDumper.DumpToStreamAsync(DbCommand.SingleScript(source, "a dump"), file, options, context.CancellationToken).ConfigureAwait(false);
                }

                File.Move(temp, path, overwrite: true);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await using var buffered = new BufferedStream(stdout, 1 << 20);
                summary = await MySqlDumper.DumpToStreamAsync(DbCommand.SingleScript(source, "a dump"), buffered, options, context.CancellationToken).ConfigureAwait(false);
                await buffered.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            }

            if (!context.Quiet)
            {
                var report = context.Error;
                await report.WriteLineAsync(
                    $"dumped {summary.Tables.Count} tables ({summary.TotalRows} rows, {summary.TotalBytes} bytes), {summary.Views} views, {summary.Triggers} triggers from {source} in {summary.Duration.TotalSeconds:F1}s")
                    .ConfigureAwait(false);
                await report.WriteLineAsync("consistency: " + summary.GuaranteeDescription).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
