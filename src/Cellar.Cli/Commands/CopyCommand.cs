using System.CommandLine;
using System.Diagnostics;
using Cellar.Cells;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Copying;
using Cellar.Repository.Locking;
using Cellar.Repository.Storage;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar copy --from-repo SRC [SNAPSHOT…]</c>: copies snapshots from SRC into the repository of
/// <c>-r</c> (the 3-2-1 rule: a second copy elsewhere), as restic 0.17's <c>copy</c>; snapshots already
/// copied are skipped. The source password comes from <c>--from-password-file</c>,
/// <c>--from-password-command</c>, or <c>CELLAR_FROM_PASSWORD_FILE</c> / <c>CELLAR_FROM_PASSWORD</c> /
/// <c>CELLAR_FROM_PASSWORD_COMMAND</c>.
/// </summary>
internal sealed class CopyCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("copy", "Copy snapshots from another repository into this one");
        var snapshots = new Argument<string[]>("snapshot") { Description = "Snapshot ids or 'latest' in the source (none: every snapshot the filters keep)", Arity = ArgumentArity.ZeroOrMore };
        var fromRepo = new Option<string?>("--from-repo") { Description = "Source repository to copy snapshots from (default: $CELLAR_FROM_REPOSITORY)" };
        var fromPasswordFile = new Option<string?>("--from-password-file") { Description = "File holding the source repository's password (default: $CELLAR_FROM_PASSWORD_FILE)" };
        var fromPasswordCommand = new Option<string?>("--from-password-command") { Description = "Shell command that prints the source repository's password (default: $CELLAR_FROM_PASSWORD_COMMAND)" };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(snapshots);
        command.Options.Add(fromRepo);
        command.Options.Add(fromPasswordFile);
        command.Options.Add(fromPasswordCommand);
        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            var env = context.Environment;
            var location = context.Get(fromRepo) ?? env.GetVariable("CELLAR_FROM_REPOSITORY");
            if (string.IsNullOrWhiteSpace(location))
            {
                throw new UserException("no source repository given: pass --from-repo or set CELLAR_FROM_REPOSITORY.", ExitCodes.Usage);
            }

            // As restic: the destination under a shared lock always, the source under the declared
            // read lock (none with --no-lock).
            await using var destination = await RepositoryOpener.OpenAsync(context, lockMode: LockMode.Shared).ConfigureAwait(false);
            BackendRegistrations.EnsureRegistered();
            var backend = BackendRegistry.Create(location, env.CurrentDirectory);
            ResticRepository? source = null;
            try
            {
                if (await backend.StatAsync(FileHandle.Config, context.CancellationToken).ConfigureAwait(false) is null)
                {
                    throw new RepositoryNotFoundException(backend.Location);
                }

                var password = await SourcePasswordAsync(context, context.Get(fromPasswordFile), context.Get(fromPasswordCommand)).ConfigureAwait(false);
                source = await ResticRepository.OpenAsync(backend, password, context.CancellationToken, loadIndex: false).ConfigureAwait(false);
                await RepositoryOpener.LockAndLoadAsync(context, source).ConfigureAwait(false);
            }
            catch
            {
                await (source?.DisposeAsync() ?? backend.DisposeAsync()).ConfigureAwait(false);
                throw;
            }

            await using (source)
            {
                if (source.Config.Id == destination.Config.Id)
                {
                    throw new UserException("the source and the destination are the same repository; copy into another one.", ExitCodes.Usage);
                }

                var selected = await SnapshotSelection.SelectAsync(source, context.Get(snapshots) ?? [], filter.Read(context), context.CancellationToken).ConfigureAwait(false);
                var say = context.Quiet || context.Json ? (Action<string>)(_ => { }) : line => context.Out.WriteLine(line);
                var result = await new SnapshotCopier(source, destination, say).CopyAsync(selected, context.CancellationToken).ConfigureAwait(false);
                if (!context.Quiet && !context.Json)
                {
                    await context.Out.WriteLineAsync(
                        $"copied {result.Copied.Count} snapshots ({result.BlobsAdded} new blobs, {ByteSize.Format(result.BytesAdded)}), skipped {result.Skipped.Count} already copied").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<string> SourcePasswordAsync(CommandContext context, string? file, string? command)
    {
        var env = context.Environment;
        file ??= env.GetVariable("CELLAR_FROM_PASSWORD_FILE");
        command ??= env.GetVariable("CELLAR_FROM_PASSWORD_COMMAND");
        if (!string.IsNullOrEmpty(file))
        {
            var path = Path.GetFullPath(file, env.CurrentDirectory);
            if (!File.Exists(path))
            {
                throw new UserException($"the source password file {file} does not exist.");
            }

            return (await File.ReadAllTextAsync(path, context.CancellationToken).ConfigureAwait(false)).Trim();
        }

        if (!string.IsNullOrEmpty(command))
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(command);
            using var process = Process.Start(psi) ?? throw new UserException($"the source password command could not be started: {command}");
            var output = await process.StandardOutput.ReadToEndAsync(context.CancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(context.CancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new UserException($"the source password command exited with code {process.ExitCode}; check it by running it alone.");
            }

            return output.Trim();
        }

        return env.GetVariable("CELLAR_FROM_PASSWORD")
               ?? throw new UserException("no source repository password given: pass --from-password-file or --from-password-command, or set CELLAR_FROM_PASSWORD(_FILE).");
    }
}
