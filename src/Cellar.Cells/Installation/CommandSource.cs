using System.Text.RegularExpressions;

namespace Cellar.Cells.Installation;

/// <summary>
/// A user's command whose standard output becomes a file of the snapshot, at
/// <see cref="SnapshotLayout.CommandPath"/> (restic's <c>--stdin-from-command</c>, named, several per
/// backup): <c>--dump-command NAME='CMD'</c> at backup, <c>--restore-command NAME='CMD'</c> at restore
/// (the stored bytes on its standard input). CMD is the user's own string, run by <c>/bin/sh -c</c>;
/// nothing from the configuration is ever put into it.
/// </summary>
public sealed partial record CommandSource(string Name, string CommandLine)
{
    /// <summary>Parses <c>NAME=CMD</c>; the name is a file name of letters, digits, '.', '_' and '-'.</summary>
    public static CommandSource Parse(string option, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? value : value[..equals];
        if (equals <= 0 || !NamePattern().IsMatch(name) || name is "." or "..")
        {
            throw new ArgumentException($"{option} takes NAME='COMMAND' with a NAME of letters, digits, '.', '_' or '-' (e.g. {option} mongo='mongodump --archive'), not '{value}'.");
        }

        var command = value[(equals + 1)..];
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ArgumentException($"{option} {name}= has no command to run.");
        }

        return new CommandSource(name, command);
    }

    /// <summary>Parses every value of a repeatable option; a name given twice is refused.</summary>
    public static IReadOnlyList<CommandSource> ParseAll(string option, IEnumerable<string> values)
    {
        var result = new List<CommandSource>();
        foreach (var value in values)
        {
            var source = Parse(option, value);
            if (result.Any(r => r.Name == source.Name))
            {
                throw new ArgumentException($"{option} names '{source.Name}' twice; give each command its own name.");
            }

            result.Add(source);
        }

        return result;
    }

    public string SnapshotPath => SnapshotLayout.CommandPath(Name);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();
}
