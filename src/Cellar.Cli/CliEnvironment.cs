namespace Cellar.Cli;

/// <summary>
/// The world outside the process as the CLI sees it: output, environment variables, terminal.
/// Tests run the whole CLI in-process with their own.
/// </summary>
internal sealed class CliEnvironment
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    public Func<string, string?> GetVariable { get; init; } = global::System.Environment.GetEnvironmentVariable;
    public bool IsTerminal { get; init; } = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
    public string CurrentDirectory { get; init; } = global::System.Environment.CurrentDirectory;

    public static CliEnvironment Process { get; } = new();
}
