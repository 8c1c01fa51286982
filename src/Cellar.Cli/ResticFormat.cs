using System.Globalization;

namespace Cellar.Cli;

/// <summary>Numbers formatted as restic prints them (its <c>ui.FormatBytes</c>), for outputs meant to read like restic's.</summary>
internal static class ResticFormat
{
    /// <summary><c>20 B</c>, <c>2.011 KiB</c>, <c>1.500 MiB</c>…: a unit is used only above one of it.</summary>
    public static string Bytes(ulong bytes) => bytes switch
    {
        > 1UL << 40 => (bytes / (double)(1UL << 40)).ToString("0.000", CultureInfo.InvariantCulture) + " TiB",
        > 1UL << 30 => (bytes / (double)(1UL << 30)).ToString("0.000", CultureInfo.InvariantCulture) + " GiB",
        > 1UL << 20 => (bytes / (double)(1UL << 20)).ToString("0.000", CultureInfo.InvariantCulture) + " MiB",
        > 1UL << 10 => (bytes / (double)(1UL << 10)).ToString("0.000", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>Go's <c>%-5s</c>: left-aligned, padded to five characters.</summary>
    public static string Pad5(string text) => text.PadRight(5);
}
