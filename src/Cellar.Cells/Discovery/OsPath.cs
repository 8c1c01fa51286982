namespace Cellar.Cells.Discovery;

/// <summary>Path joining in the conventions of a given OS, independent of the OS Cellar runs on.</summary>
internal static class OsPath
{
    public static char Separator(CellsOs os) => os == CellsOs.Windows ? '\\' : '/';

    public static string Join(CellsOs os, string first, params string[] more)
    {
        var sep = Separator(os);
        var result = first;
        foreach (var part in more)
        {
            result = result.Length == 0 || result[^1] == sep || (os == CellsOs.Windows && result[^1] == '/')
                ? result + part
                : result + sep + part;
        }

        return result;
    }

    public static string? Parent(CellsOs os, string path)
    {
        var trimmed = path.TrimEnd(Separator(os));
        var at = os == CellsOs.Windows ? trimmed.LastIndexOfAny(['\\', '/']) : trimmed.LastIndexOf('/');
        return at <= 0 ? (at == 0 ? path[..1] : null) : trimmed[..at];
    }

    public static string FileName(CellsOs os, string path)
    {
        var at = os == CellsOs.Windows ? path.LastIndexOfAny(['\\', '/']) : path.LastIndexOf('/');
        return path[(at + 1)..];
    }

    public static bool IsAbsolute(CellsOs os, string path) =>
        os == CellsOs.Windows
            ? (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/') || path.StartsWith(@"\\", StringComparison.Ordinal)
            : path.StartsWith('/');

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it.</summary>
    public static bool IsUnder(CellsOs os, string path, string root)
    {
        var comparison = os is CellsOs.Windows or CellsOs.MacOs ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var sep = Separator(os);
        var r = root.TrimEnd(sep);
        return path.Equals(r, comparison) || path.StartsWith(r + sep, comparison);
    }
}
