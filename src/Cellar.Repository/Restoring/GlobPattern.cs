using Cellar.Repository.Globbing;

namespace Cellar.Repository.Restoring;

/// <summary>
/// One include/exclude pattern with restic's semantics: split at '/' into components, each a
/// shell glob ('*', '?', '[a-z]', '\' escapes) for one name; "**" spans any number of components;
/// a pattern starting with '/' is anchored at the snapshot root, any other matches at any depth;
/// a pattern matches a path when it matches a run of its components, so a matching directory
/// brings everything below it. A leading '!' negates.
/// </summary>
public sealed class GlobPattern
{
    private readonly string[] _parts;

    public GlobPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Original = pattern;
        if (pattern.StartsWith('!'))
        {
            IsNegated = true;
            pattern = pattern[1..];
        }

        _parts = Split(Clean(pattern));
        foreach (var part in _parts)
        {
            if (!GlobMatcher.IsValid(part))
            {
                throw new ArgumentException($"the pattern '{Original}' is malformed (an unclosed '[' or a trailing '\\').");
            }
        }
    }

    public string Original { get; }

    public bool IsNegated { get; }

    private bool IsAbsolute => _parts.Length > 0 && _parts[0] == "/";

    /// <summary>True when the pattern matches the path (absolute in the snapshot, e.g. "/home/a").</summary>
    public bool Matches(string path) => Match(_parts, Split(Clean(path)));

    /// <summary>True when something below the path could match (so a directory must be entered).</summary>
    public bool ChildMayMatch(string path)
    {
        if (!IsAbsolute)
        {
            return true;
        }

        var strs = Split(Clean(path));
        var doubleStar = Array.IndexOf(_parts, "**");
        if (doubleStar >= 0 && strs.Length >= doubleStar)
        {
            strs = strs[..doubleStar];
        }

        var length = Math.Min(strs.Length, _parts.Length);
        return Match(_parts[..length], strs);
    }

    private static bool Match(string[] pattern, string[] strs)
    {
        var doubleStar = Array.IndexOf(pattern, "**");
        if (doubleStar >= 0)
        {
            // "**" stands for zero, one, two ... components; try each expansion.
            var prefix = pattern[..doubleStar];
            var suffix = pattern[(doubleStar + 1)..];
            for (var stars = 0; stars <= strs.Length - pattern.Length + 1; stars++)
            {
                string[] expanded = [.. prefix, .. Enumerable.Repeat("*", stars), .. suffix];
                if (Match(expanded, strs))
                {
                    return true;
                }
            }

            return false;
        }

        if (pattern.Length == 0 && strs.Length == 0)
        {
            return true;
        }

        if (pattern.Length == 0 || pattern.Length > strs.Length)
        {
            return false;
        }

        var minOffset = 0;
        var maxOffset = strs.Length - pattern.Length;
        if (pattern[0] == "/")
        {
            maxOffset = 0;
        }
        else if (strs[0] == "/")
        {
            minOffset = 1;
        }

        for (var offset = maxOffset; offset >= minOffset; offset--)
        {
            var all = true;
            for (var i = pattern.Length - 1; i >= 0 && all; i--)
            {
                all = GlobMatcher.Match(pattern[i], strs[offset + i]);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    // Like Go's filepath.Clean: drop empty and "." components, resolve "..", no trailing '/'.
    private static string Clean(string path)
    {
        var rooted = path.StartsWith('/');
        var stack = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && stack.Count > 0 && stack[^1] != "..")
            {
                stack.RemoveAt(stack.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                stack.Add(part);
            }
        }

        var joined = string.Join('/', stack);
        return rooted ? "/" + joined : (joined.Length == 0 ? "." : joined);
    }

    private static string[] Split(string cleaned)
    {
        if (cleaned == "/")
        {
            return ["/"];
        }

        var parts = cleaned.Split('/');
        if (parts[0].Length == 0)
        {
            parts[0] = "/";
        }

        return parts;
    }

    public override string ToString() => Original;
}
