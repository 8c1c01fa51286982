using System.CommandLine;

namespace Cellar.Cli;

/// <summary>
/// Options that belong to one mode of a command (backup of PATHs or of the Cells installation;
/// restore into a folder or of the installation in place): given in the other mode they are a
/// usage error with one sentence, never silently ignored.
/// </summary>
internal static class ModeOptions
{
    /// <summary>Options of <paramref name="options"/> the user wrote on the command line (defaults do not count).</summary>
    public static IEnumerable<Option> Given(CommandContext context, IEnumerable<Option> options) =>
        options.Where(o => context.ParseResult.GetResult(o) is { Implicit: false });

    /// <summary>Throws a usage error naming the first option of <paramref name="options"/> given, and what it is for.</summary>
    public static void Refuse(CommandContext context, IEnumerable<Option> options, string belongsTo, string instead)
    {
        if (Given(context, options).FirstOrDefault() is { } option)
        {
            throw new UserException($"{option.Name} is only for {belongsTo}; {instead}.", ExitCodes.Usage);
        }
    }
}
