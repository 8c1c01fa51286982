namespace Cellar.Cells.Discovery;

/// <summary>The <c>file://</c> URLs Cells uses for its stores (with query parameters such as <c>?keyring=true</c>).</summary>
internal static class FileUrl
{
    public static string From(CellsOs os, string path) =>
        os == CellsOs.Windows ? "file:///" + path.Replace('\\', '/') : "file://" + path;

    /// <summary>The local path of a file URL (or of a plain path), without its query; false for other schemes.</summary>
    public static bool TryGetPath(CellsOs os, string url, out string path)
    {
        var value = url;
        var query = value.IndexOf('?');
        if (query >= 0)
        {
            value = value[..query];
        }

        if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            value = Uri.UnescapeDataString(value[7..]);
            if (os == CellsOs.Windows)
            {
                value = value.TrimStart('/').Replace('/', '\\');
            }
        }
        else if (value.Contains("://", StringComparison.Ordinal) || (!OsPath.IsAbsolute(os, value) && value.Contains(':', StringComparison.Ordinal)))
        {
            path = "";
            return false;
        }

        path = value;
        return path.Length > 0;
    }

    /// <summary>The URL without user info or query (which can hold secrets).</summary>
    public static string Redact(string url)
    {
        var query = url.IndexOf('?');
        var bare = query >= 0 ? url[..query] : url;
        var scheme = bare.IndexOf("://", StringComparison.Ordinal);
        var at = bare.LastIndexOf('@');
        return scheme >= 0 && at > scheme ? bare[..(scheme + 3)] + "***@" + bare[(at + 1)..] : bare;
    }
}
