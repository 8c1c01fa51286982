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

    /// <summary>
    /// Whether the pattern matches a run of the path's components: at the root only when it is
    /// anchored ('/' first), else starting at any component but the root.
    /// </summary>
    private static bool Match(string[] pattern, string[] strs)
    {
        if (pattern.Length == 0)
        {
            return strs.Length == 0;
        }

        var minOffset = pattern[0] != "/" && strs.Length > 0 && strs[0] == "/" ? 1 : 0;
        var maxOffset = pattern[0] == "/" ? 0 : strs.Length - 1;
        for (var offset = minOffset; offset <= maxOffset; offset++)
        {
            if (ComponentGlob.MatchFrom(pattern, 0, strs, offset))
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
