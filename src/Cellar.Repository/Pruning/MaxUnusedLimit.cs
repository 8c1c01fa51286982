using System.Globalization;

namespace Cellar.Repository.Pruning;

/// <summary>
/// How much unused space prune may leave in partly used packs (restic's <c>--max-unused</c>):
/// a percentage of the used size ("5%"), an absolute size ("100M", "2G"), or "unlimited".
/// </summary>
public sealed record MaxUnusedLimit
{
    private MaxUnusedLimit(double? percent, long? bytes)
    {
        Percent = percent;
        Bytes = bytes;
    }

    public static MaxUnusedLimit Default { get; } = new(5, null);

    public static MaxUnusedLimit Unlimited { get; } = new(null, null);

    public double? Percent { get; }

    public long? Bytes { get; }

    /// <summary>The unused bytes tolerated after pruning, given the bytes still used.</summary>
    public long AllowedUnused(long usedBytes)
    {
        if (Bytes is { } bytes)
        {
            return bytes;
        }

        if (Percent is not { } percent)
        {
            return long.MaxValue;
        }

        if (percent >= 100)
        {
            return long.MaxValue;
        }

        // unused / (used + unused) <= p  <=>  unused <= used * p / (100 - p)
        return (long)(usedBytes * percent / (100 - percent));
    }

    public static MaxUnusedLimit Parse(string text)
    {
        var s = text.Trim();
        if (s.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return Unlimited;
        }

        if (s.EndsWith('%'))
        {
            if (double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p >= 0 && p <= 100)
            {
                return new MaxUnusedLimit(p, null);
            }

            throw new FormatException($"invalid --max-unused '{text}': a percentage must lie between 0% and 100%");
        }

        long multiplier = 1;
        var number = s;
        if (s.Length > 0 && char.IsLetter(s[^1]))
        {
            multiplier = char.ToUpperInvariant(s[^1]) switch
            {
                'B' => 1,
                'K' => 1024,
                'M' => 1024 * 1024,
                'G' => 1024L * 1024 * 1024,
                'T' => 1024L * 1024 * 1024 * 1024,
                _ => 0,
            };
            number = s[..^1];
        }

        if (multiplier == 0 || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"invalid --max-unused '{text}': give a percentage (5%), a size (100M, 2G) or 'unlimited'");
        }

        return new MaxUnusedLimit(null, checked(value * multiplier));
    }

    public override string ToString() => Bytes is { } b ? $"{b} B" : Percent is { } p ? $"{p.ToString(CultureInfo.InvariantCulture)}%" : "unlimited";
}
