using System.Text.RegularExpressions;

namespace Cellar.Databases.Postgres.Internal;

/// <summary>The parts of a <c>pg_restore -l</c> listing Cellar reports: each table's data entry (its file is <c>ID.dat</c>), views and triggers.</summary>
internal sealed partial record PgToc(IReadOnlyList<(string Name, string File)> TableData, IReadOnlyList<string> Schemas, int Views, int Triggers)
{
    public static PgToc Parse(string listing)
    {
        var data = new List<(string, string)>();
        var schemas = new SortedSet<string>(StringComparer.Ordinal) { "public" };
        int views = 0, triggers = 0;
        foreach (var line in listing.Split('\n'))
        {
            var match = EntryPattern().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var rest = match.Groups["rest"].Value;
            if (rest.StartsWith("TABLE DATA ", StringComparison.Ordinal))
            {
                // "TABLE DATA schema name owner": the owner is the last word.
                var words = rest["TABLE DATA ".Length..];
                var lastSpace = words.LastIndexOf(' ');
                var schemaAndName = lastSpace > 0 ? words[..lastSpace] : words;
                var firstSpace = schemaAndName.IndexOf(' ');
                var name = firstSpace > 0 ? schemaAndName[..firstSpace] + "." + schemaAndName[(firstSpace + 1)..] : schemaAndName;
                if (firstSpace > 0)
                {
                    schemas.Add(schemaAndName[..firstSpace]);
                }

                data.Add((name, match.Groups["id"].Value + ".dat"));
            }
            else if (rest.StartsWith("SCHEMA - ", StringComparison.Ordinal) && rest.LastIndexOf(' ') is var end && end > "SCHEMA - ".Length)
            {
                schemas.Add(rest["SCHEMA - ".Length..end]);
            }
            else if (rest.StartsWith("VIEW ", StringComparison.Ordinal))
            {
                views++;
            }
            else if (rest.StartsWith("TRIGGER ", StringComparison.Ordinal))
            {
                triggers++;
            }
        }

        return new PgToc(data, schemas.ToList(), views, triggers);
    }

    [GeneratedRegex(@"^(?<id>\d+); \d+ \d+ (?<rest>.*)$")]
    private static partial Regex EntryPattern();
}
