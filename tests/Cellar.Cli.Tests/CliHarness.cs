namespace Cellar.Cli.Tests;

/// <summary>Runs the whole CLI in-process and captures what it prints.</summary>
internal static class CliHarness
{
    public static Task<(int ExitCode, string Out, string Error)> RunAsync(IDictionary<string, string>? env, params string[] args) =>
        RunInAsync(Environment.CurrentDirectory, env, args);

    /// <summary>Runs the CLI as if started in <paramref name="currentDirectory"/> (relative paths start there).</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunInAsync(string currentDirectory, IDictionary<string, string>? env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            IsTerminal = false,
            CurrentDirectory = currentDirectory,
            GetVariable = name => env is not null && env.TryGetValue(name, out var value) ? value : null,
        };
        var exitCode = await CliApp.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
