using System.CommandLine;

namespace Cellar.Cli;

/// <summary>
/// Runs a command body: resolves the lock the command declared (with <c>--no-lock</c> and
/// <c>--retry-lock</c>) before it starts, and turns known failures into one clear line and an exit
/// code through <see cref="ErrorReporter"/>.
/// </summary>
internal static class CommandRunner
{
    public static void SetHandler(this Command command, GlobalOptions globals, CommandLock repositoryLock, Func<CommandContext, Task<int>> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var environment = CliApp.CurrentEnvironment.Value ?? CliEnvironment.Process;
            try
            {
                var parsed = new CommandContext(parseResult, globals, environment, cancellationToken);
                var context = new CommandContext(parseResult, globals, environment, cancellationToken)
                {
                    Lock = repositoryLock.Resolve(parsed),
                    LockRetry = parsed.Get(globals.RetryLock) is { } retry ? GoDuration.Parse(retry, "--retry-lock") : TimeSpan.Zero,
                };
                return await body(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await environment.Error.WriteLineAsync("cellar: interrupted").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (Exception ex) when (ErrorReporter.TryDescribe(ex, out var message, out var exitCode))
            {
                await environment.Error.WriteLineAsync($"cellar: {message}").ConfigureAwait(false);
                return exitCode;
            }
        });
    }
}
