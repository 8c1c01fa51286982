using System.Security.Cryptography;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Platform;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Cli.Installation;

/// <summary>
/// The repository of an installation backup or restore. With <c>-r</c>/<c>CELLAR_REPOSITORY</c> it is
/// that one. Without, it is the default local repository <c>cellar-repository</c> beside the working
/// dir (outside it), created on the first backup. Its password comes from the usual sources; when
/// none is given, from <c>cellar-repository.password</c> beside it, which the first backup generates
/// (random, mode 0600) and announces: that file must be kept somewhere else as well, or the backups
/// cannot be read once the disk is lost.
/// </summary>
internal static class InstallationRepository
{
    public const string DefaultName = "cellar-repository";

    public static string DefaultLocation(string workingDir) =>
        Path.Combine(Path.GetDirectoryName(workingDir.TrimEnd('/')) ?? "/", DefaultName);

    public static bool IsConfigured(CommandContext context) =>
        !string.IsNullOrWhiteSpace(context.Get(context.Globals.Repo) ?? context.Environment.GetVariable("CELLAR_REPOSITORY"));

    private static bool HasPasswordSource(CommandContext context) =>
        !string.IsNullOrEmpty(context.Get(context.Globals.PasswordFile) ?? context.Environment.GetVariable("CELLAR_PASSWORD_FILE"))
        || context.Environment.GetVariable("CELLAR_PASSWORD") is not null;

    /// <summary>Opens the configured repository, or the default one (created when <paramref name="create"/>).</summary>
    public static async Task<ResticRepository> OpenAsync(CommandContext context, string workingDir, bool create, Action<string> say)
    {
        if (IsConfigured(context))
        {
            return await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
        }

        var location = DefaultLocation(workingDir);
        var passwordFile = location + ".password";
        var backend = BackendRegistry.Create(location, context.Environment.CurrentDirectory);
        ResticRepository? opened = null;
        try
        {
            var exists = await backend.StatAsync(FileHandle.Config, context.CancellationToken).ConfigureAwait(false) is not null;
            if (!exists && !create)
            {
                throw new UserException($"no repository given and there is no default repository at {location}: pass -r/--repo or set CELLAR_REPOSITORY.", ExitCodes.RepositoryNotFound);
            }

            string password;
            if (HasPasswordSource(context))
            {
                password = PasswordSource.Resolve(context);
            }
            else if (File.Exists(passwordFile))
            {
                password = (await File.ReadAllTextAsync(passwordFile, context.CancellationToken).ConfigureAwait(false)).Trim();
            }
            else if (!exists)
            {
                password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
                Directory.CreateDirectory(Path.GetDirectoryName(passwordFile)!);
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (var stream = new FileStream(passwordFile, fileOptions))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteLineAsync(password).ConfigureAwait(false);
                }

                say($"!!! generated the repository password into {passwordFile} (mode 0600).");
                say("!!! COPY THIS FILE TO ANOTHER PLACE NOW: without it the backups cannot be read.");
            }
            else
            {
                throw new UserException($"the default repository {location} exists but its password file {passwordFile} is missing: set CELLAR_PASSWORD or pass --password-file.");
            }

            if (!exists)
            {
                opened = await RepositoryInitializer.InitializeAsync(backend, password, 2, context.CancellationToken).ConfigureAwait(false);
                say($"no repository given: created the default repository {location} (set CELLAR_REPOSITORY or pass -r to use another).");
                WarnIfSameDisk(location, workingDir, say);
                return await RepositoryOpener.LockAndLoadAsync(context, opened, loadIndex: false).ConfigureAwait(false);
            }

            WarnIfSameDisk(location, workingDir, say);
            opened = await ResticRepository.OpenAsync(backend, password, context.CancellationToken, loadIndex: false).ConfigureAwait(false);
            return await RepositoryOpener.LockAndLoadAsync(context, opened).ConfigureAwait(false);
        }
        catch
        {
            await (opened?.DisposeAsync() ?? backend.DisposeAsync()).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Warns when a local repository shares the installation's disk (a failing disk takes both).</summary>
    public static void WarnIfSameDisk(string repositoryFolder, string workingDir, Action<string> say)
    {
        if (!Posix.IsSupported
            || !Posix.TryStat(RawPath.FromString(repositoryFolder), out var repository, followSymlinks: true)
            || !Posix.TryStat(RawPath.FromString(workingDir), out var installation, followSymlinks: true))
        {
            return;
        }

        if (repository.Device == installation.Device)
        {
            say($"WARNING: the repository {repositoryFolder} is on the same disk as the installation {workingDir}; " +
                "if that disk fails, both are lost. Use a repository on another disk or machine (-r).");
        }
    }
}
