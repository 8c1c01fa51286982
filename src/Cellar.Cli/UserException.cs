namespace Cellar.Cli;

/// <summary>An error the user can act on: printed as one sentence, never a stack trace.</summary>
internal sealed class UserException(string message, int exitCode = ExitCodes.Fatal) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
