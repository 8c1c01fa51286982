using Cellar.Repository.Archiving;
using Cellar.Repository.Json;

namespace Cellar.Repository.Browsing;

/// <summary>
/// What restic's <c>find</c> looks for: a pattern matched as restic's filter matches (a pattern
/// without a leading <c>/</c> matches at any depth, and what lies below a match matches too),
/// optionally ignoring case, and a modification-time window.
/// </summary>
public sealed class FindQuery
{
    private readonly ExcludePattern _pattern;

    public FindQuery(string pattern, bool ignoreCase = false, GoTime? oldest = null, GoTime? newest = null)
    {
        IgnoreCase = ignoreCase;
        _pattern = new ExcludePattern(ignoreCase ? pattern.ToLowerInvariant() : pattern);
        Oldest = oldest;
        Newest = newest;
    }

    public bool IgnoreCase { get; }
    public GoTime? Oldest { get; }
    public GoTime? Newest { get; }

    internal bool Matches(string path) =>
        _pattern.Matches((IgnoreCase ? path.ToLowerInvariant() : path).Split('/', StringSplitOptions.RemoveEmptyEntries));
}
