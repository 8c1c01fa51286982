using System.Globalization;

namespace Cellar.Cells;

/// <summary>
/// The one way Cellar writes a byte count for people: as restic prints it (its <c>ui.FormatBytes</c>),
/// <c>20 B</c>, <c>2.011 KiB</c>, <c>1.500 MiB</c>…, a unit used only above one of it. Every output of
/// the CLI and of the Cells layer (logs, reports) goes through here.
/// </summary>
public static class ByteSize
{
    /// <summary>The count with three decimals in the largest binary unit it exceeds.</summary>
    public static string Format(ulong bytes) => bytes switch
    {
        > 1UL << 40 => Scaled(bytes, 40, "TiB"),
        > 1UL << 30 => Scaled(bytes, 30, "GiB"),
        > 1UL << 20 => Scaled(bytes, 20, "MiB"),
        > 1UL << 10 => Scaled(bytes, 10, "KiB"),
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <inheritdoc cref="Format(ulong)"/>
    public static string Format(long bytes) => bytes < 0 ? "-" + Format(unchecked((ulong)-bytes)) : Format((ulong)bytes);

    /// <summary>A measured amount (e.g. a chart value), rounded to whole bytes.</summary>
    public static string Format(double bytes) => Format((long)Math.Round(bytes));

    private static string Scaled(ulong bytes, int shift, string unit) =>
        (bytes / (double)(1UL << shift)).ToString("0.000", CultureInfo.InvariantCulture) + " " + unit;
}
