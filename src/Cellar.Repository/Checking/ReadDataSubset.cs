using System.Globalization;

namespace Cellar.Repository.Checking;

/// <summary>
/// Which packs <c>check</c> reads in full, as restic's <c>--read-data-subset</c> picks them
/// (restic <c>cmd/restic/cmd_check.go</c>): <c>n/m</c> takes the packs whose id's first byte
/// modulo m is n-1 (a fixed group, so m runs with n = 1..m read every pack once); <c>P%</c> takes
/// floor(count × P / 100) packs chosen at random (at least one); <c>SIZE</c> (<c>500M</c>,
/// <c>2G</c>, 1024-based) takes the percentage that size is of all packs' bytes, the same way.
/// </summary>
public sealed record ReadDataSubset
{
    private ReadDataSubset(string text, uint bucket, uint buckets, double percentage, long bytes)
    {
        Text = text;
        Bucket = bucket;
        Buckets = buckets;
        Percentage = percentage;
        Bytes = bytes;
    }

    /// <summary>Every pack (plain <c>--read-data</c>).</summary>
    public static ReadDataSubset All { get; } = new("all", 1, 1, 0, 0);

    public string Text { get; }

    /// <summary>n of n/m (1-based), or 0 when the subset is a percentage or a size.</summary>
    public uint Bucket { get; }

    public uint Buckets { get; }

    public double Percentage { get; }

    public long Bytes { get; }

    /// <summary>Parses <c>n/m</c>, <c>P%</c> or a size; throws <see cref="FormatException"/> with restic's rule in the message.</summary>
    public static ReadDataSubset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        var slash = value.Split('/');
        if (slash.Length == 2)
        {
            if (!uint.TryParse(slash[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || !uint.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                || n == 0 || m == 0 || n > m)
            {
                throw new FormatException($"--read-data-subset={text}: n/m must be positive integers with n <= m, e.g. 1/5");
            }

            if (m > 256)
            {
                throw new FormatException($"--read-data-subset={text}: m may be at most 256 (packs are grouped by the first byte of their id)");
            }

            return new ReadDataSubset(value, n, m, 0, 0);
        }

        if (value.EndsWith('%'))
        {
            if (!double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !(p > 0) || p > 100)
            {
                throw new FormatException($"--read-data-subset={text}: a percentage must be above 0% and at most 100%, e.g. 10%");
            }

            return new ReadDataSubset(value, 0, 0, p, 0);
        }

        var bytes = ParseBytes(value);
        if (bytes <= 0)
        {
            throw new FormatException($"--read-data-subset={text}: use n/m (1/5), a percentage (10%) or a size (500M, 2G)");
        }

        return new ReadDataSubset(value, 0, 0, 0, bytes);
    }

    /// <summary>The packs to read, from all packs and their sizes.</summary>
    public IReadOnlyCollection<Id> Select(IReadOnlyDictionary<Id, long> packs, Random? random = null)
    {
        if (Buckets > 0)
        {
            return packs.Keys.Where(id => id.ToArray()[0] % Buckets == Bucket - 1).ToList();
        }

        var percentage = Percentage;
        if (Bytes > 0)
        {
            var total = packs.Values.Sum();
            percentage = total == 0 ? 100 : Math.Min(Bytes, total) / (double)total * 100.0;
        }

        var count = (int)(packs.Count * (percentage / 100.0));
        if (packs.Count > 0 && count < 1)
        {
            count = 1;
        }

        var keys = packs.Keys.ToArray();
        (random ?? Random.Shared).Shuffle(keys);
        return keys.Take(count).ToList();
    }

    private static long ParseBytes(string value)
    {
        if (value.Length == 0)
        {
            return -1;
        }

        var unit = char.ToUpperInvariant(value[^1]);
        var shift = unit switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        var digits = shift == 0 ? value : value[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return -1;
        }

        return number > long.MaxValue >> shift ? -1 : number << shift;
    }
}
