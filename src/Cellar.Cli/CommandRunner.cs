using System.CommandLine;

namespace Cellar.Cli;

/// <summary>Runs a command body and turns known failures into one clear line and an exit code.</summary>
internal static class CommandRunner
{
    public static void SetHandler(this Command command, GlobalOptions globals, Func<CommandContext, Task<int>> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var environment = CliApp.CurrentEnvironment.Value ?? CliEnvironment.Process;
            var context = new CommandContext(parseResult, globals, environment, cancellationToken);
            try
            {
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
