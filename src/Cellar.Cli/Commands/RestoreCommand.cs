using System.CommandLine;
using System.Globalization;
using System.Text;
using Cellar.Cli.Repositories;
using Cellar.Repository.Browsing;
using Cellar.Repository.Json;
using Cellar.Repository.Restoring;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar restore SNAPSHOT[:PATH]|latest --target DIR [--include P] [--exclude P]</c>: restores a
/// snapshot (or the folder PATH inside it) exactly; entries that cannot be restored are reported
/// and the rest is restored; exit code 1 when anything failed.
/// </summary>
internal sealed class RestoreCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("restore", "Restore a snapshot into a folder");
        var snapshotArgument = new Argument<string>("snapshot") { Description = "Snapshot id (or unique prefix) or 'latest', optionally followed by :PATH to restore one folder of it" };
        var target = new Option<string>("--target", "-t") { Description = "Folder to restore into (created if missing; none: a Cells installation snapshot goes back where it was)" };
        var include = new Option<string[]>("--include", "-i") { Description = "Restore only what matches this pattern (repeatable)" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Do not restore what matches this pattern (repeatable)" };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(snapshotArgument);
        command.Options.Add(target);
        command.Options.Add(include);
        command.Options.Add(exclude);
        var checks = new RestoreChecks();
        checks.AddTo(command);
        filter.AddTo(command);

        // Cells installation restore (no --target): options and run live in Installation/InstallationRestoreCli.
        var installation = new Installation.InstallationRestoreCli();
        installation.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            if (context.Get(target) is null)
            {
                ModeOptions.Refuse(context, [include, exclude, .. checks.Options], "a restore into a folder (--target DIR)",
                    "the Cells installation restore (no --target) puts everything back where it was (or where --cells-dir, --data-dir and --path-map say)");
                return await installation.RunAsync(context, context.Get(snapshotArgument)!, filter.Read(context)).ConfigureAwait(false);
            }

            ModeOptions.Refuse(context, installation.Options, "the Cells installation restore (cellar restore SNAPSHOT without --target)", "leave it out when restoring into a folder");
            RestoreFilter restoreFilter;
            OverwriteMode overwrite;
            try
            {
                restoreFilter = new RestoreFilter(context.Get(include), context.Get(exclude));
                overwrite = checks.Overwrite(context);
            }
            catch (ArgumentException ex)
            {
                throw new UserException(ex.Message, ExitCodes.Usage);
            }

            var (spec, subPath) = SplitSpec(context.Get(snapshotArgument)!);
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var snapshot = await repository.FindSnapshotAsync(spec, context.CancellationToken, filter.Read(context)).ConfigureAwait(false);
            var tree = snapshot.Tree ?? throw new UserException($"snapshot {snapshot.Id.ToShortString()} has no tree; the repository is damaged.");
            if (subPath is not null)
            {
                tree = await SnapshotFolders.FindAsync(repository, tree, subPath, context.CancellationToken).ConfigureAwait(false)
                       ?? throw new UserException($"{subPath} is not a folder in snapshot {snapshot.Id.ToShortString()}.");
            }

            var targetPath = Path.GetFullPath(context.Get(target)!, context.Environment.CurrentDirectory);
            if (!context.Json && !context.Quiet)
            {
                await context.Out.WriteLineAsync(
                    $"restoring snapshot {snapshot.Id.ToShortString()} of [{string.Join(' ', snapshot.Paths ?? [])}] at {snapshot.Time}{(subPath is null ? "" : " (" + subPath + ")")} to {targetPath}").ConfigureAwait(false);
            }

            var review = new TargetReview(repository, tree, targetPath, restoreFilter, overwrite);
            if (context.Get(checks.DryRun))
            {
                return await checks.DryRunAsync(context, review).ConfigureAwait(false);
            }

            var progress = new RestoreProgress();
            var options = new RestoreOptions { Filter = restoreFilter, Progress = progress, Overwrite = overwrite };
            using var display = context.Environment.IsTerminal && !context.Json && !context.Quiet
                ? new ProgressLine(context.Error, progress)
                : null;
            var result = await new Restorer(repository, options).RestoreAsync(tree, targetPath, context.CancellationToken).ConfigureAwait(false);
            display?.Dispose();
            await ReportAsync(context, result).ConfigureAwait(false);
            var verified = await checks.AfterRestoreAsync(context, review).ConfigureAwait(false);
            return result.Succeeded && verified ? ExitCodes.Success : ExitCodes.Fatal;
        });
        return command;
    }

    private static (string Spec, string? SubPath) SplitSpec(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (text, null);
        }

        var sub = "/" + string.Join('/', text[(colon + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries));
        return (text[..colon], sub == "/" ? null : sub);
    }

    private static async Task ReportAsync(CommandContext context, RestoreResult result)
    {
        var seconds = result.Duration.TotalSeconds;
        if (context.Json)
        {
            foreach (var error in result.Errors)
            {
                var e = new GoJsonWriter();
                e.StartObject();
                e.Name("message_type"); e.String("error");
                e.Name("item"); e.String(error.Path);
                e.Name("error"); e.String(error.Message);
                e.EndObject();
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(e.WrittenSpan)).ConfigureAwait(false);
            }

            var w = new GoJsonWriter();
            w.StartObject();
            w.Name("message_type"); w.String("summary");
            w.Name("files_restored"); w.Number((ulong)result.Files);
            w.Name("dirs_restored"); w.Number((ulong)result.Directories);
            w.Name("other_restored"); w.Number((ulong)result.OtherEntries);
            w.Name("bytes_restored"); w.Number((ulong)result.Bytes);
            w.Name("errors"); w.Number((ulong)result.Errors.Count);
            w.Name("seconds_structure"); w.RawJson(Encoding.ASCII.GetBytes(result.StructureTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.Name("seconds_content"); w.RawJson(Encoding.ASCII.GetBytes(result.ContentTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.Name("seconds_read"); w.RawJson(Encoding.ASCII.GetBytes(result.ReadTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.Name("seconds_decode"); w.RawJson(Encoding.ASCII.GetBytes(result.DecodeTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.Name("seconds_write"); w.RawJson(Encoding.ASCII.GetBytes(result.WriteTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.Name("seconds_elapsed"); w.RawJson(Encoding.ASCII.GetBytes(seconds.ToString("0.###", CultureInfo.InvariantCulture)));
            w.EndObject();
            await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
            return;
        }

        foreach (var error in result.Errors)
        {
            await context.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"restored {result.Files} files, {result.Directories} folders, {result.OtherEntries} other entries, {ByteSize(result.Bytes)} in {seconds:0.00}s; {(result.Unchanged > 0 ? $"{result.Unchanged} left unchanged; " : "")}{result.Errors.Count} errors")).ConfigureAwait(false);
        if (result.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"cellar: {result.Errors.Count} entries could not be restored (listed above); everything else was restored.").ConfigureAwait(false);
        }
    }

    internal static string ByteSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }

    /// <summary>A progress line on the terminal, redrawn each second, erased at the end.</summary>
    private sealed class ProgressLine : IDisposable
    {
        private readonly TextWriter _error;
        private readonly RestoreProgress _progress;
        private readonly Timer _timer;
        private readonly DateTime _start = DateTime.UtcNow;
        private int _disposed;

        public ProgressLine(TextWriter error, RestoreProgress progress)
        {
            _error = error;
            _progress = progress;
            _timer = new Timer(_ => Draw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        private void Draw()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var p = _progress;
            var percent = p.BytesTotal > 0 ? 100.0 * p.BytesDone / p.BytesTotal : 0;
            var elapsed = DateTime.UtcNow - _start;
            lock (_error)
            {
                _error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{elapsed:hh\\:mm\\:ss}] {percent,5:0.0}%  {p.FilesDone}/{p.FilesTotal} files  {ByteSize(p.BytesDone)}/{ByteSize(p.BytesTotal)}  {p.Errors} errors\u001b[K"));
                _error.Flush();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _timer.Dispose();
            lock (_error)
            {
                _error.Write("\r\u001b[K");
                _error.Flush();
            }
        }
    }
}
