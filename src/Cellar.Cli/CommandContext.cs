using System.CommandLine;

namespace Cellar.Cli;

/// <summary>What a running command sees: its parse result, output writers, environment, cancellation.</summary>
internal sealed class CommandContext(ParseResult parseResult, GlobalOptions globals, CliEnvironment environment, CancellationToken cancellationToken)
{
    public ParseResult ParseResult { get; } = parseResult;
    public GlobalOptions Globals { get; } = globals;
    public CliEnvironment Environment { get; } = environment;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public TextWriter Out => Environment.Out;
    public TextWriter Error => Environment.Error;
    public bool Json => ParseResult.GetValue(Globals.Json);
    public bool Quiet => ParseResult.GetValue(Globals.Quiet);

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);
}
