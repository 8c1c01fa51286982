using System.Globalization;
using System.Text;

namespace Cellar.Repository.Policy;

/// <summary>
/// A calendar duration in restic's syntax, e.g. <c>1y2m3d4h</c> (years, months, days, hours; any
/// subset, in any order, a later unit replacing an earlier one). Subtracted from a time the way Go's
/// <c>AddDate</c> does it: month and day overflow roll over instead of clamping.
/// </summary>
public readonly record struct RetentionDuration(int Years, int Months, int Days, int Hours)
{
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    public bool IsNegative => Years < 0 || Months < 0 || Days < 0 || Hours < 0;

    public static RetentionDuration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var (years, months, days, hours) = (0, 0, 0, 0);
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            if (s[i] == '-')
            {
                i++;
            }

            var digitsStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                throw new FormatException($"invalid duration '{text}': expected a number at '{s[start..]}' (write it like 1y2m3d4h).");
            }

            if (!int.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"invalid duration '{text}': {s[start..i]} is too large.");
            }

            if (i == s.Length)
            {
                throw new FormatException($"invalid duration '{text}': no unit after {number} (use y, m, d or h).");
            }

            switch (s[i])
            {
                case 'y': years = number; break;
                case 'm': months = number; break;
                case 'd': days = number; break;
                case 'h': hours = number; break;
                default: throw new FormatException($"invalid duration '{text}': unknown unit '{s[i]}' after {number} (use y, m, d or h).");
            }

            i++;
        }

        return new RetentionDuration(years, months, days, hours);
    }

    /// <summary>
    /// The time this duration before <paramref name="time"/>, on its own clock (Go's AddDate, then
    /// hours). Times before year 1 (e.g. <c>9999y</c>) become <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public DateTimeOffset Before(DateTimeOffset time)
    {
        var clock = time.DateTime;
        var totalMonths = ((long)clock.Year - Years) * 12 + (clock.Month - 1) - Months;
        var year = Math.Floor(totalMonths / 12.0);
        var month = (int)(totalMonths - ((long)year * 12)) + 1;
        if (year < 2)
        {
            return DateTimeOffset.MinValue;
        }

        if (year > 9998)
        {
            return DateTimeOffset.MaxValue;
        }

        var dayOffset = (clock.Day - 1L) - Days;
        var hoursBack = (long)Hours;
        var firstOfMonth = new DateTime((int)year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var minTicks = DateTime.MinValue.Ticks + TimeSpan.TicksPerDay * 2;
        var ticks = (decimal)firstOfMonth.Ticks + ((decimal)dayOffset * TimeSpan.TicksPerDay) + clock.TimeOfDay.Ticks - ((decimal)hoursBack * TimeSpan.TicksPerHour);
        if (ticks < minTicks)
        {
            return DateTimeOffset.MinValue;
        }

        if (ticks > DateTime.MaxValue.Ticks - (TimeSpan.TicksPerDay * 2))
        {
            return DateTimeOffset.MaxValue;
        }

        return new DateTimeOffset(new DateTime((long)ticks, DateTimeKind.Unspecified), time.Offset);
    }

    public override string ToString()
    {
        var s = new StringBuilder();
        if (Years != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"{Years}y");
        }

        if (Months != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"{Months}m");
        }

        if (Days != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"{Days}d");
        }

        if (Hours != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"{Hours}h");
        }

        return s.ToString();
    }
}
