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
        ex => SystemErrors.Describe(ex) is { } sentence ? (sentence, ExitCodes.Fatal) : null,
        ex => ex is DirectoryNotFoundException or FileNotFoundException ? (ex.Message, ExitCodes.Fatal) : null,
    ];

    private static Exception? Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => aggregate.InnerExceptions[0],
        _ => exception.InnerException,
    };

    public static void Register(Func<Exception, (string Message, int ExitCode)?> describer) => Describers.Add(describer);

    public static bool TryDescribe(Exception exception, out string message, out int exitCode)
    {
        // A failure inside a worker reaches the caller wrapped (a closed queue, a Task.WhenAll):
        // the cause is the innermost known error.
        for (Exception? cause = exception; cause is not null; cause = Unwrap(cause))
        {
            foreach (var describe in Describers)
            {
                if (describe(cause) is { } found)
                {
                    (message, exitCode) = found;
                    return true;
                }
            }
        }

        // Anything unknown is a bug: still one sentence to the user (no type names), the detail on request.
        message = exception.Message.TrimEnd('.') + " (an unexpected error" +
                  (Environment.GetEnvironmentVariable("CELLAR_DEBUG") == "1" ? ")\n" + exception : "; set CELLAR_DEBUG=1 for details and report it).");
        exitCode = ExitCodes.Fatal;
        return true;
    }
}
