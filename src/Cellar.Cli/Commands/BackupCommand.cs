using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Archiving;
using Cellar.Repository.Packs;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar backup PATH…</c>: a new snapshot, read incrementally against the last one of the same
/// host and paths; <c>cellar backup</c> without PATHs: the whole Cells installation
/// (<see cref="Installation.InstallationBackupCli"/>). Each mode's own options are refused in the
/// other; <c>--tag</c>, <c>--host</c> and the monitoring options serve both.
/// </summary>
internal sealed class BackupCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("backup", "Back up files and folders into a new snapshot");
        var paths = new Argument<string[]>("PATH") { Description = "Files and folders to back up (none: the whole Cells installation)", Arity = ArgumentArity.ZeroOrMore };
        var tags = new Option<string[]>("--tag") { Description = "Tag the snapshot (repeatable; a,b adds both)" };
        var host = new Option<string?>("--host", "-H") { Description = "Host name to record (default: this machine's)" };
        var excludes = new Option<string[]>("--exclude", "-e") { Description = "Leave out files matching this pattern (repeatable; restic's syntax)" };
        var excludeFiles = new Option<string[]>("--exclude-file") { Description = "Read exclude patterns from a file, one per line" };
        var oneFileSystem = new Option<bool>("--one-file-system", "-x") { Description = "Do not descend into other file systems (mount points are kept, empty)" };
        var compression = new Option<string>("--compression") { Description = "auto (zstd, default), off, or max", DefaultValueFactory = _ => "auto" };
        var parent = new Option<string?>("--parent") { Description = "Compare with this snapshot instead of the latest of the same host and paths" };
        var force = new Option<bool>("--force", "-f") { Description = "Read every file, even when unchanged since the parent snapshot" };
        command.Arguments.Add(paths);

        // Cells installation backup (no paths): options and run live in Installation/InstallationBackupCli.
        var installation = new Installation.InstallationBackupCli();
        installation.AddTo(command);
        Option[] pathOptions = [excludes, excludeFiles, oneFileSystem, compression, parent, force];
        foreach (var option in new Option[] { tags, host }.Concat(pathOptions))
        {
            command.Options.Add(option);
        }

        var notifications = new Monitoring.BackupNotifications();
        notifications.AddTo(command);
        command.SetHandler(globals, CommandLock.Append, context => notifications.RunAsync(context, async context =>
        {
            if ((context.Get(paths) ?? []).Length == 0)
            {
                ModeOptions.Refuse(context, pathOptions, "backing up PATHs",
                    "the Cells installation backup (no PATHs) takes what the configuration names (leave a datasource out with --exclude-datasource)");
                return await installation.RunAsync(
                    context,
                    [.. (context.Get(tags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    context.Get(host)).ConfigureAwait(false);
            }

            ModeOptions.Refuse(context, installation.Options, "the Cells installation backup (cellar backup without PATHs)", "leave it out when backing up PATHs");
            var mode = (context.Get(compression) ?? "auto").ToLowerInvariant() switch
            {
                "auto" => BlobCompression.Auto,
                "off" => BlobCompression.Off,
                "max" => BlobCompression.Max,
                var other => throw new UserException($"--compression must be auto, off or max, not '{other}'.", ExitCodes.Usage),
            };

            var patterns = new List<ExcludePattern>();
            try
            {
                patterns.AddRange((context.Get(excludes) ?? []).Select(p => new ExcludePattern(p)));
                foreach (var file in context.Get(excludeFiles) ?? [])
                {
                    patterns.AddRange(ExcludePattern.ReadFile(Path.GetFullPath(file, context.Environment.CurrentDirectory)));
                }
            }
            catch (ArgumentException ex)
            {
                throw new UserException(ex.Message, ExitCodes.Usage);
            }

            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            Id? parentId = null;
            if (context.Get(parent) is { } parentSpec)
            {
                parentId = (await repository.FindSnapshotAsync(parentSpec, context.CancellationToken).ConfigureAwait(false)).Id;
            }

            var request = new BackupRequest
            {
                Paths = context.Get(paths) ?? [],
                BaseDirectory = context.Environment.CurrentDirectory,
                Tags = [.. (context.Get(tags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                Hostname = context.Get(host),
                Excludes = patterns,
                OneFileSystem = context.Get(oneFileSystem),
                ParentSnapshot = parentId,
                Force = context.Get(force),
            };

            var job = new BackupJob(repository, mode);
            await using var progress = new BackupProgress(context, job);
            BackupResult result;
            try
            {
                result = await job.RunAsync(request, context.CancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new UserException(ex.Message);
            }

            await progress.FinishAsync(result).ConfigureAwait(false);
            return result.Warnings > 0 ? ExitCodes.Incomplete : ExitCodes.Success;
        }));
        return command;
    }
}
