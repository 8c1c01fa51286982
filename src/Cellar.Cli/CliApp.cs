using System.CommandLine;

namespace Cellar.Cli;

/// <summary>Builds the root command from every <see cref="ICellarCommand"/> and runs it.</summary>
internal static class CliApp
{
    internal static readonly AsyncLocal<CliEnvironment?> CurrentEnvironment = new();

    public static RootCommand BuildRoot(GlobalOptions globals)
    {
        var root = new RootCommand("cellar: backup and recovery for Pydio Cells, in restic-format repositories");
        globals.AddTo(root);
        var commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICellarCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICellarCommand)Activator.CreateInstance(t, nonPublic: true)!)
            .Select(c => c.Build(globals))
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Runs the CLI with the given environment; used by Main and by in-process tests.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var root = BuildRoot(globals);
        var previous = CurrentEnvironment.Value;
        CurrentEnvironment.Value = environment;
        try
        {
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
            {
                // Usage errors exit 2, as restic's do, with one line per problem and a pointer to help.
                foreach (var error in parseResult.Errors)
                {
                    await environment.Error.WriteLineAsync($"cellar: {error.Message}").ConfigureAwait(false);
                }

                await environment.Error.WriteLineAsync("Run 'cellar --help' (or 'cellar COMMAND --help') for usage.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var configuration = new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
            };
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CurrentEnvironment.Value = previous;
        }
    }
}
