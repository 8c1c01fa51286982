namespace Cellar.Repository.Platform;

/// <summary>A point in time as the kernel keeps it: seconds since the Unix epoch and nanoseconds.</summary>
public readonly record struct PosixTime(long Seconds, uint Nanoseconds) : IComparable<PosixTime>
{
    /// <summary>Nanoseconds since the epoch (fits until the year 2262).</summary>
    public long TotalNanoseconds => checked((Seconds * 1_000_000_000L) + Nanoseconds);

    public static PosixTime FromNanoseconds(long nanoseconds)
    {
        var seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += 1_000_000_000L;
        }

        return new PosixTime(seconds, (uint)rest);
    }

    /// <summary>To a DateTimeOffset (loses the last two decimal digits: .NET ticks are 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);

    public int CompareTo(PosixTime other) =>
        Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    public override string ToString() =>
        ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) +
        "." + Nanoseconds.ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
