using Cellar.Repository.Globbing;

namespace Cellar.Repository.Archiving;

/// <summary>
/// One exclude pattern with restic's meaning: path components matched with glob rules
/// (<see cref="GlobMatcher"/>: <c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>\</c> escapes) and <c>**</c> for any number of
/// components. A pattern starting with <c>/</c> is anchored at the root; any other pattern
/// matches at any depth (<c>*.tmp</c> excludes every .tmp file, <c>cache/tmp</c> every
/// tmp directly inside a cache directory). Matching a directory excludes all below it.
/// </summary>
public sealed class ExcludePattern
{
    private readonly string[] _parts;
    private readonly bool _anchored;

    public ExcludePattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Text = pattern;
        var trimmed = pattern.Trim();
        _anchored = trimmed.StartsWith('/');
        _parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (_parts.Length == 0)
        {
            throw new ArgumentException($"The exclude pattern '{pattern}' matches nothing; give a name or a glob.", nameof(pattern));
        }

        if (Array.Find(_parts, p => !GlobMatcher.IsValid(p)) is not null)
        {
            throw new ArgumentException($"The exclude pattern '{pattern}' is malformed (an unclosed '[' or a trailing '\\'); escape a literal '[' as '\\['.", nameof(pattern));
        }
    }

    public string Text { get; }

    /// <summary>Reads patterns as restic's --exclude-file does: one per line, blank lines and # comments skipped.</summary>
    public static IEnumerable<ExcludePattern> ReadFile(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            yield return new ExcludePattern(text);
        }
    }

    /// <summary>Whether an absolute path (components, root first) is excluded.</summary>
    public bool Matches(IReadOnlyList<string> components)
    {
        if (_anchored)
        {
            return MatchFrom(0, components, 0);
        }

        for (var start = 0; start < components.Count; start++)
        {
            if (MatchFrom(0, components, start))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchFrom(int part, IReadOnlyList<string> components, int index) => ComponentGlob.MatchFrom(_parts, part, components, index);

    public override string ToString() => Text;
}
