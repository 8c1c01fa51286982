using System.Globalization;

namespace Cellar.Repository.Json;

/// <summary>
/// A Go <c>time.Time</c> as restic stores it: an instant to the nanosecond plus the UTC offset it
/// was recorded in. Formats and parses RFC 3339 with nanoseconds exactly as Go's JSON does
/// (fraction without trailing zeros, omitted when zero; "Z" for a zero offset).
/// </summary>
public readonly record struct GoTime(long UnixSeconds, int Nanoseconds, int OffsetSeconds)
{
    private const long UnixEpochTicks = 621355968000000000;

    /// <summary>The longest text <see cref="TryParse(ReadOnlySpan{byte}, out GoTime)"/> accepts (Go's fraction may have more than 9 digits).</summary>
    private const int MaxParsedLength = 64;

    /// <summary>Go's zero time, 0001-01-01T00:00:00Z.</summary>
    public static GoTime Zero { get; } = new(-62135596800, 0, 0);

    public bool IsZero => this == Zero;

    public static GoTime FromDateTimeOffset(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - UnixEpochTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new GoTime(seconds, (int)(rest * 100), (int)value.Offset.TotalSeconds);
    }

    /// <summary>An instant from seconds and nanoseconds since the epoch (as stat returns them), in UTC.</summary>
    public static GoTime FromUnix(long seconds, long nanoseconds, int offsetSeconds = 0)
    {
        seconds += Math.DivRem(nanoseconds, 1_000_000_000, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }

        return new GoTime(seconds, (int)nanos, offsetSeconds);
    }

    /// <summary>The instant, truncated to .NET's 100 ns ticks.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        new DateTimeOffset(UnixEpochTicks + (UnixSeconds * TimeSpan.TicksPerSecond) + (Nanoseconds / 100), TimeSpan.Zero)
            .ToOffset(TimeSpan.FromSeconds(OffsetSeconds - (OffsetSeconds % 60)));

    public int CompareInstant(GoTime other)
    {
        var c = UnixSeconds.CompareTo(other.UnixSeconds);
        return c != 0 ? c : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    /// <summary>The most bytes <see cref="Format"/> writes.</summary>
    public const int MaxFormattedLength = 40;

    /// <summary>RFC 3339 with nanoseconds as Go writes it.</summary>
    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxFormattedLength];
        return System.Text.Encoding.ASCII.GetString(text[..Format(text)]);
    }

    /// <summary>Writes <see cref="ToString"/>'s text as ASCII into <paramref name="destination"/> (room for <see cref="MaxFormattedLength"/>) and returns its length.</summary>
    public int Format(Span<byte> destination)
    {
        var local = new DateTime(UnixEpochTicks + ((UnixSeconds + OffsetSeconds) * TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
        if (!local.TryFormat(destination, out var length, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("The destination is too small for a time.", nameof(destination));
        }

        if (Nanoseconds != 0)
        {
            destination[length++] = (byte)'.';
            Nanoseconds.TryFormat(destination[length..], out var digits, "D9", CultureInfo.InvariantCulture);
            length += digits;
            while (destination[length - 1] == (byte)'0')
            {
                length--;
            }
        }

        if (OffsetSeconds == 0)
        {
            destination[length++] = (byte)'Z';
            return length;
        }

        var offset = Math.Abs(OffsetSeconds);
        destination[length++] = OffsetSeconds < 0 ? (byte)'-' : (byte)'+';
        length += WriteTwoDigits(destination[length..], offset / 3600);
        destination[length++] = (byte)':';
        return length + WriteTwoDigits(destination[length..], offset / 60 % 60);
    }

    public static GoTime Parse(string text) =>
        TryParse(text, out var time) ? time : throw new FormatException($"'{text}' is not an RFC 3339 time.");

    public static bool TryParse(string text, out GoTime time)
    {
        Span<byte> ascii = stackalloc byte[MaxParsedLength];
        if (text.Length > ascii.Length || !System.Text.Ascii.IsValid(text))
        {
            time = default;
            return false;
        }

        System.Text.Ascii.FromUtf16(text, ascii, out var length);
        return TryParse(ascii[..length], out time);
    }

    /// <summary>Parses RFC 3339 text given as UTF-8 bytes (as a JSON reader holds it), without making a string.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out GoTime time)
    {
        time = default;
        // yyyy-mm-ddThh:mm:ss
        if (text.Length < 20 || text.Length > MaxParsedLength || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day) ||
            !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        var pos = 19;
        var nanos = 0;
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            var digits = 0;
            while (pos < text.Length && char.IsAsciiDigit((char)text[pos]))
            {
                if (digits < 9)
                {
                    nanos = (nanos * 10) + (text[pos] - '0');
                }

                digits++;
                pos++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var d = digits; d < 9; d++)
            {
                nanos *= 10;
            }
        }

        int offset;
        if (pos < text.Length && (text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.Length)
        {
            offset = 0;
        }
        else if (pos + 6 == text.Length && (text[pos] == '+' || text[pos] == '-') && text[pos + 3] == ':' &&
                 TryDigits(text, pos + 1, 2, out var oh) && TryDigits(text, pos + 4, 2, out var om))
        {
            offset = ((oh * 3600) + (om * 60)) * (text[pos] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var localSeconds = (local.Ticks - UnixEpochTicks) / TimeSpan.TicksPerSecond;
        time = new GoTime(localSeconds - offset, nanos, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit((char)text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }

    private static int WriteTwoDigits(Span<byte> destination, int value)
    {
        value.TryFormat(destination, out var written, "D2", CultureInfo.InvariantCulture);
        return written;
    }
}
