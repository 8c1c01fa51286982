namespace Cellar.Cli;

/// <summary>
/// Maps exceptions to a user-facing sentence and exit code. Each layer registers the exception
/// types it raises for the user (wrong password, corrupt data, unreachable server, ...).
/// </summary>
internal static class ErrorReporter
{
    private static readonly List<Func<Exception, (string Message, int ExitCode)?>> Describers =
    [
        ex => ex is UserException user ? (user.Message, user.ExitCode) : null,
        ex => ex is UnauthorizedAccessException ? ($"permission denied: {ex.Message}", ExitCodes.Fatal) : null,
        ex => ex is DirectoryNotFoundException or FileNotFoundException ? (ex.Message, ExitCodes.Fatal) : null,
    ];

    public static void Register(Func<Exception, (string Message, int ExitCode)?> describer) => Describers.Add(describer);

    public static bool TryDescribe(Exception exception, out string message, out int exitCode)
    {
        foreach (var describe in Describers)
        {
            if (describe(exception) is { } found)
            {
                (message, exitCode) = found;
                return true;
            }
        }

        // Anything unknown is a bug: still one line to the user, the detail on request.
        message = exception.GetType().Name + ": " + exception.Message +
                  (Environment.GetEnvironmentVariable("CELLAR_DEBUG") == "1" ? "\n" + exception : " (set CELLAR_DEBUG=1 for details)");
        exitCode = ExitCodes.Fatal;
        return true;
    }
}
