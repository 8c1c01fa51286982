using System.Globalization;
using System.Text.RegularExpressions;

namespace Cellar.Cli.Tests;

/// <summary>
/// A strict reader of Prometheus' text exposition format 0.0.4 (what node_exporter's textfile
/// collector accepts): HELP/TYPE comments, one TYPE per family before its samples, metric names
/// and values as the format defines them, a final newline. Throws on anything else.
/// </summary>
internal static partial class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition does not end with a newline");
        }

        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var comment = Comment().Match(line);
                if (!comment.Success)
                {
                    throw new FormatException($"bad comment line: {line}");
                }

                if (comment.Groups[1].Value == "TYPE")
                {
                    var type = comment.Groups[3].Value;
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException($"unknown type in: {line}");
                    }

                    if (!types.TryAdd(comment.Groups[2].Value, type) || samples.ContainsKey(comment.Groups[2].Value))
                    {
                        throw new FormatException($"TYPE repeated or after the samples: {line}");
                    }
                }

                continue;
            }

            var sample = Sample().Match(line);
            if (!sample.Success)
            {
                throw new FormatException($"bad sample line: '{line}'");
            }

            var value = sample.Groups[3].Value switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            if (!samples.TryAdd(sample.Groups[1].Value + sample.Groups[2].Value, value))
            {
                throw new FormatException($"sample repeated: {line}");
            }
        }

        return samples;
    }

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"",?)*\})? (NaN|[+-]Inf|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?: -?\d+)?$")]
    private static partial Regex Sample();
}
