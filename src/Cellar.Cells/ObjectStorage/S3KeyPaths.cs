using System.Security.Cryptography;
using System.Text;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// Where each object key goes in the snapshot: the key without the datasource's prefix, as a path,
/// when it is one (no empty, "." or ".." parts, no leading or trailing '/', not also the folder of
/// another key); any other key goes to <c>.cellar-escaped/SHA256(key)</c>, and the listing keeps
/// the real key for the restore.
/// </summary>
public static class S3KeyPaths
{
    public const string EscapedFolder = ".cellar-escaped";

    public static Dictionary<string, string> Assign(IEnumerable<string> keys, string prefix)
    {
        var relative = new Dictionary<string, string?>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var path = Relative(key, prefix);
            relative[key] = path;
            if (path is null)
            {
                continue;
            }

            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
            {
                folders.Add(path[..slash]);
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, path) in relative)
        {
            result[key] = path is null || folders.Contains(path) ? Escaped(key) : path;
        }

        return result;
    }

    public static string Escaped(string key) => EscapedFolder + "/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string? Relative(string key, string prefix)
    {
        var path = key;
        if (prefix.Length > 0)
        {
            if (!key.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return null;
            }

            path = key[(prefix.Length + 1)..];
        }

        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path.Split('/');
        if (parts.Any(p => p.Length == 0 || p == "." || p == "..") || parts[0] == EscapedFolder)
        {
            return null;
        }

        return path;
    }
}
