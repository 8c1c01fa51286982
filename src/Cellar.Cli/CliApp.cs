using System.CommandLine;

namespace Cellar.Cli;

/// <summary>Builds the root command from the commands listed in <see cref="Commands"/> and runs it.</summary>
internal static class CliApp
{
    internal static readonly AsyncLocal<CliEnvironment?> CurrentEnvironment = new();

    /// <summary>
    /// Every top-level command, in the order <c>cellar --help</c> lists them. A new command is one
    /// new file and one line here; each declares its repository lock (<see cref="CommandLock"/>).
    /// </summary>
    private static ICellarCommand[] Commands() =>
    [
        new Commands.BackupCommand(),
        new Commands.BoltCommand(),
        new Commands.CatCommand(),
        new Commands.CellsCommand(),
        new Commands.CheckCommand(),
        new Commands.CopyCommand(),
        new Commands.DbCommand(),
        new Commands.DemoCommand(),
        new Commands.DiffCommand(),
        new Commands.DrillCommand(),
        new Commands.FindCommand(),
        new Commands.Forget.ForgetCommand(),
        new Commands.InitCommand(),
        new Commands.KeyCommand(),
        new Commands.LsCommand(),
        new Commands.Prune.PruneCommand(),
        new Commands.ReportCommand(),
        new Commands.RestoreCommand(),
        new Commands.ScheduleCommand(),
        new Commands.SnapshotsCommand(),
        new Commands.StatsCommand(),
        new Commands.TagCommand(),
        new Commands.UnlockCommand(),
        new Commands.VersionCommand(),
    ];

    public static RootCommand BuildRoot(GlobalOptions globals)
    {
        var root = new RootCommand("cellar: backup and recovery for Pydio Cells, in restic-format repositories");
        globals.AddTo(root);
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command.Build(globals));
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
