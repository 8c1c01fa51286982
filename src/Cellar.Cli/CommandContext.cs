using System.CommandLine;
using Cellar.Repository.Locking;

namespace Cellar.Cli;

/// <summary>
/// What a running command sees: its parse result, output writers, environment, cancellation, and
/// the repository lock it takes (resolved by <see cref="CommandRunner"/> from its
/// <see cref="CommandLock"/>, <c>--no-lock</c> and <c>--retry-lock</c>).
/// </summary>
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

    /// <summary>The lock the repository is opened with.</summary>
    public LockMode Lock { get; init; }

    /// <summary>How long taking that lock keeps trying (<c>--retry-lock</c>; zero: fail at once with exit code 11).</summary>
    public TimeSpan LockRetry { get; init; }

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    /// <summary>The same run seen through other writers or another cancellation (the backup's monitoring wrapper).</summary>
    public CommandContext With(CliEnvironment? environment = null, CancellationToken? cancellationToken = null) =>
        new(ParseResult, Globals, environment ?? Environment, cancellationToken ?? CancellationToken) { Lock = Lock, LockRetry = LockRetry };
}
