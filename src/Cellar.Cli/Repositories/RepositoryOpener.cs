using Cellar.Repository;
using Cellar.Repository.Storage;

namespace Cellar.Cli.Repositories;

/// <summary>
/// Opens the repository a command works on: location from <c>-r/--repo</c> or
/// <c>CELLAR_REPOSITORY</c>, password from <see cref="PasswordSource"/>, backend from
/// <see cref="BackendRegistry"/>.
/// </summary>
internal static class RepositoryOpener
{
    static RepositoryOpener()
    {
        ErrorReporter.Register(ex => ex switch
        {
            WrongPasswordException => (ex.Message, ExitCodes.WrongPassword),
            RepositoryNotFoundException => (ex.Message, ExitCodes.RepositoryNotFound),
            SnapshotNotFoundException => (ex.Message, ExitCodes.Fatal),
            RepositoryCorruptException => ($"the repository is damaged: {ex.Message}; run 'cellar check' for a full report.", ExitCodes.Fatal),
            NotSupportedException => (ex.Message, ExitCodes.Fatal),
            _ => null,
        });
    }

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

    /// <summary>Gives the repository the user's <c>--retry-lock</c>, so every lock it takes waits that long for a conflicting one.</summary>
    public static void ApplyLockOptions(CommandContext context, Repository.Repository repository)
    {
        if (context.Get(context.Globals.RetryLock) is { } retry)
        {
            repository.LockRetry = GoDuration.Parse(retry, "--retry-lock");
        }
    }

    /// <summary>Opens the repository: backend, key for the password, config and (by default) the index.</summary>
    public static async Task<Repository.Repository> OpenAsync(CommandContext context, bool loadIndex = true)
    {
        var backend = CreateBackend(context);
        try
        {
            if (await backend.StatAsync(FileHandle.Config, context.CancellationToken).ConfigureAwait(false) is null)
            {
                throw new RepositoryNotFoundException(backend.Location);
            }

            var password = PasswordSource.Resolve(context);
            var repository = await Repository.Repository.OpenAsync(backend, password, context.CancellationToken, loadIndex).ConfigureAwait(false);
            ApplyLockOptions(context, repository);
            return repository;
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
