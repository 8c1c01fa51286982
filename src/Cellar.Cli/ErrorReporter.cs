using Cellar.Cells;
using Cellar.Cells.Installation;
using Cellar.Databases;
using Cellar.Repository;
using Cellar.Repository.Locking;
using Cellar.Repository.Policy;
using Cellar.Repository.Pruning;
using Cellar.Repository.Storage;

namespace Cellar.Cli;

/// <summary>
/// The one map from exceptions to a user-facing sentence and exit code: the exception type each
/// layer raises for the user (wrong password, corrupt data, a locked repository, a refused
/// installation, ...) is listed here once. Anything else is a bug, still said in one sentence.
/// </summary>
internal static class ErrorReporter
{
    private static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        UserException user => (user.Message, user.ExitCode),
        _ when SystemErrors.Describe(ex) is { } sentence => (sentence, ExitCodes.Fatal),
        DirectoryNotFoundException or FileNotFoundException => (ex.Message, ExitCodes.Fatal),

        // The repository engine.
        RepositoryLockedException => (ex.Message, ExitCodes.Locked),
        WrongPasswordException => (ex.Message, ExitCodes.WrongPassword),
        RepositoryNotFoundException => (ex.Message, ExitCodes.RepositoryNotFound),
        RepositoryCorruptException => ($"the repository is damaged: {ex.Message}; run 'cellar check' for a full report.", ExitCodes.Fatal),
        SnapshotNotFoundException or StorageException or PolicyException or PruneAbortedException or NotSupportedException => (ex.Message, ExitCodes.Fatal),

        // The database layer and the Cells layer.
        DatabaseException or RestoreException => (ex.Message, ExitCodes.Fatal),
        CellsRunningException or InstallationRefusedException or CommandSourceFailedException or CellsConfigException => (ex.Message, ExitCodes.Fatal),
        _ => null,
    };

    private static Exception? Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => aggregate.InnerExceptions[0],
        _ => exception.InnerException,
    };

    public static bool TryDescribe(Exception exception, out string message, out int exitCode)
    {
        // A failure inside a worker reaches the caller wrapped (a closed queue, a Task.WhenAll):
        // the cause is the innermost known error.
        for (Exception? cause = exception; cause is not null; cause = Unwrap(cause))
        {
            if (Describe(cause) is { } found)
            {
                (message, exitCode) = found;
                return true;
            }
        }

        // Anything unknown is a bug: still one sentence to the user (no type names), the detail on request.
        message = exception.Message.TrimEnd('.') + " (an unexpected error" +
                  (Environment.GetEnvironmentVariable("CELLAR_DEBUG") == "1" ? ")\n" + exception : "; set CELLAR_DEBUG=1 for details and report it).");
        exitCode = ExitCodes.Fatal;
        return true;
    }
}
