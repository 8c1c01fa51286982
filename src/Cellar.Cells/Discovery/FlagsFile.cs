using System.Text.Json;

namespace Cellar.Cells.Discovery;

/// <summary>
/// A Cells flags file, read as Viper reads it for Cells. v5 (<c>cmd/root.go</c>,
/// <c>initViperRuntime</c>): the file named by <c>$CELLS_FLAGS_FILE</c> when it exists, else
/// <c>flags.&lt;ext&gt;</c> in the working dir, then the current directory, extensions in Viper's
/// <see cref="ViperExtensions"/> order, parsed by extension. v4: <c>cells_local.&lt;ext&gt;</c> (same
/// order) or a bare <c>cells_local</c>, always parsed as dotenv (<c>SetConfigType("env")</c>).
/// Keys are Viper keys: lower-cased, otherwise exact (<c>certs_store</c>, not <c>CELLS_CERTS_STORE</c>).
/// </summary>
internal static class FlagsFile
{
    /// <summary>Viper's <c>SupportedExts</c>, in the order <c>searchInPath</c> tries them.</summary>
    public static readonly string[] ViperExtensions = ["json", "toml", "yaml", "yml", "properties", "props", "prop", "hcl", "tfvars", "dotenv", "env", "ini"];

    public const string V5BaseName = "flags";
    public const string V4BaseName = "cells_local";

    /// <summary>Parses by extension (v5); <paramref name="alwaysDotenv"/> for v4's <c>cells_local</c>.</summary>
    public static Dictionary<string, string> Parse(string path, string text, bool alwaysDotenv = false)
    {
        var extension = alwaysDotenv ? "env" : Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        return extension switch
        {
            "json" => ParseJson(path, text),
            "yaml" or "yml" => ParseLines(text, ':'),
            _ => ParseLines(text, '='),
        };
    }

    /// <summary>True when Viper can read a file with this name's extension (else Cells ignores it silently).</summary>
    public static bool HasViperExtension(string path) =>
        ViperExtensions.Contains(Path.GetExtension(path).TrimStart('.').ToLowerInvariant(), StringComparer.Ordinal);

    private static Dictionary<string, string> ParseJson(string path, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CellsConfigException(path, "the flags file must hold a JSON object of flag names and values.");
            }

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                values[property.Name.ToLowerInvariant()] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        catch (JsonException ex)
        {
            throw new CellsConfigException(path, $"the flags file is not valid JSON ({ex.Message}).");
        }

        return values;
    }

    private static Dictionary<string, string> ParseLines(string text, char separator)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
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

            values[line[..at].Trim().ToLowerInvariant()] = value;
        }

        return values;
    }
}
