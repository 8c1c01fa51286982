using System.Text.Json;

namespace Cellar.Cells.Discovery;

/// <summary>
/// A Cells flags file (v4 <c>cells_local.*</c>, v5 <c>flags.*</c> or <c>$CELLS_FLAGS_FILE</c>): flag
/// values read like Viper reads a config file, the format chosen by extension. <c>.json</c> is a JSON
/// object; <c>.yaml</c>/<c>.yml</c> is read as flat <c>key: value</c> lines; anything else
/// (<c>.env</c>, <c>.properties</c>, <c>.toml</c>, none) as <c>key=value</c> lines. Keys are
/// normalised: case-insensitive, <c>-</c> same as <c>_</c>, an optional <c>CELLS_</c>/<c>PYDIO_</c>
/// prefix dropped, so <c>working_dir</c>, <c>working-dir</c> and <c>CELLS_WORKING_DIR</c> are one key.
/// </summary>
internal static class FlagsFile
{
    public static readonly string[] BaseNames = ["flags", "cells_local"];

    public static bool IsCandidate(string fileName) =>
        BaseNames.Any(b => fileName.StartsWith(b + ".", StringComparison.OrdinalIgnoreCase)) && !fileName.EndsWith('~');

    public static Dictionary<string, string> Parse(string path, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".json")
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CellsConfigException(path, "the flags file must hold a JSON object of flag names and values.");
                }

                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    values[NormalizeKey(property.Name)] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
            catch (JsonException ex)
            {
                throw new CellsConfigException(path, $"the flags file is not valid JSON ({ex.Message}).");
            }

            return values;
        }

        var separator = extension is ".yaml" or ".yml" ? ':' : '=';
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[' || line == "---")
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var at = line.IndexOf(separator);
            if (at <= 0 && separator == '=')
            {
                at = line.IndexOf(':');
            }

            if (at <= 0)
            {
                continue;
            }

            var value = line[(at + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and > 0)
            {
                value = value[..comment].TrimEnd();
            }

            values[NormalizeKey(line[..at].Trim())] = value;
        }

        return values;
    }

    public static string NormalizeKey(string key)
    {
        var k = key.Trim().Replace('-', '_').ToLowerInvariant();
        foreach (var prefix in new[] { "cells_", "pydio_" })
        {
            if (k.StartsWith(prefix, StringComparison.Ordinal) && k.Length > prefix.Length)
            {
                k = k[prefix.Length..];
            }
        }

        return k;
    }
}
