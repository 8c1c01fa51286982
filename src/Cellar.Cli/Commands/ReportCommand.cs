using System.CommandLine;
using Cellar.Cells.History;
using Cellar.Cli.Repositories;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar report --html FILE</c>: the repository's history as one self-contained HTML page.</summary>
internal sealed class ReportCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("report", "Write the repository's history (backups, sizes, dedup, durations, downtime, retention, drills, warnings) as one HTML file");
        var html = new Option<string>("--html") { Description = "The HTML file to write (self-contained: opens offline)", Required = true };
        command.Options.Add(html);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            var path = Path.GetFullPath(context.Get(html)!, context.Environment.CurrentDirectory);
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var history = await RepositoryHistory.ReadAsync(repository, DateTimeOffset.UtcNow, context.CancellationToken).ConfigureAwait(false);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, HistoryReport.Render(history, RepositoryOpener.ResolveLocation(context)), context.CancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
            var warnings = history.Warnings();
            await context.Out.WriteLineAsync($"wrote {path}: {history.Backups.Count} backup(s), {history.Drills.Count} drill(s), {warnings.Count} warning(s)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
