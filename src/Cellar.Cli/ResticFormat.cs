namespace Cellar.Cli;

/// <summary>Text laid out as restic prints it, for outputs meant to read like restic's (byte counts: <see cref="Cellar.Cells.ByteSize"/>).</summary>
internal static class ResticFormat
{
    /// <summary>Go's <c>%-5s</c>: left-aligned, padded to five characters.</summary>
    public static string Pad5(string text) => text.PadRight(5);
}
