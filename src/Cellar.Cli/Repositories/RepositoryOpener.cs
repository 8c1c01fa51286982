using Cellar.Repository;
using Cellar.Repository.Locking;
using Cellar.Repository.Storage;

namespace Cellar.Cli.Repositories;

/// <summary>
/// Opens the repository a command works on: location from <c>-r/--repo</c> or
/// <c>CELLAR_REPOSITORY</c>, password from <see cref="PasswordSource"/>, backend from
/// <see cref="BackendRegistry"/>.
/// </summary>
internal static class RepositoryOpener
{
    /// <summary>The repository location the user gave, or a usage error.</summary>
    public static string ResolveLocation(CommandContext context)
    {
        var location = context.Get(context.Globals.Repo) ?? context.Environment.GetVariable("CELLAR_REPOSITORY");
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new UserException("no repository given: pass -r/--repo or set CELLAR_REPOSITORY.", ExitCodes.Fatal);
        }

        return location;
    }

    /// <summary>The backend for the location the user gave (no password needed).</summary>
    public static IBackend CreateBackend(CommandContext context)
    {
        BackendRegistrations.EnsureRegistered();
        return BackendRegistry.Create(ResolveLocation(context), context.Environment.CurrentDirectory);
    }

    /// <summary>
    /// Opens the repository: backend, key for the password, config; then the lock the command
    /// declared (<see cref="CommandContext.Lock"/>, or <paramref name="lockMode"/> where a command
    /// opens a second repository) is taken, and only then (by default) the index is loaded, so
    /// nothing can change it unseen.
    /// </summary>
    public static async Task<ResticRepository> OpenAsync(CommandContext context, bool loadIndex = true, LockMode? lockMode = null)
    {
        var backend = CreateBackend(context);
        ResticRepository? opened = null;
        try
        {
            if (await backend.StatAsync(FileHandle.Config, context.CancellationToken).ConfigureAwait(false) is null)
            {
                throw new RepositoryNotFoundException(backend.Location);
            }

            var password = PasswordSource.Resolve(context);
            opened = await ResticRepository.OpenAsync(backend, password, context.CancellationToken, loadIndex: false).ConfigureAwait(false);
            return await LockAndLoadAsync(context, opened, loadIndex, lockMode).ConfigureAwait(false);
        }
        catch
        {
            // The repository owns the backend (and a lock taken before a failed index load).
            await (opened?.DisposeAsync() ?? backend.DisposeAsync()).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Takes the command's lock on a repository just opened without its index (waiting up to
    /// <c>--retry-lock</c>), then loads the index when asked. Every repository a command works on
    /// goes through here; on failure the caller disposes the repository (which releases the lock).
    /// </summary>
    public static async Task<ResticRepository> LockAndLoadAsync(CommandContext context, ResticRepository repository, bool loadIndex = true, LockMode? lockMode = null)
    {
        repository.LockRetry = context.LockRetry;
        await repository.LockAsync(lockMode ?? context.Lock, context.CancellationToken).ConfigureAwait(false);
        if (loadIndex)
        {
            await repository.LoadIndexAsync(context.CancellationToken, throwOnError: true).ConfigureAwait(false);
        }

        return repository;
    }
}
