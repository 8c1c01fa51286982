namespace Cellar.Repository.Restoring;

/// <summary>
/// Which snapshot entries a restore writes, as restic's <c>--include</c>/<c>--exclude</c>: with
/// includes, only matching entries (and what lies below a matching folder); excludes drop matching
/// entries and everything below them. Paths are absolute within the snapshot ("/dir/file").
/// </summary>
public sealed class RestoreFilter
{
    public RestoreFilter(IEnumerable<string>? includes = null, IEnumerable<string>? excludes = null)
    {
        Includes = (includes ?? []).Where(p => p.Length > 0).Select(p => new GlobPattern(p)).ToList();
        Excludes = (excludes ?? []).Where(p => p.Length > 0).Select(p => new GlobPattern(p)).ToList();
        if (Includes.Count > 0 && Excludes.Count > 0)
        {
            throw new ArgumentException("--include and --exclude cannot be combined (as in restic); use one or the other.");
        }
    }

    public static RestoreFilter All { get; } = new();

    public IReadOnlyList<GlobPattern> Includes { get; }

    public IReadOnlyList<GlobPattern> Excludes { get; }

    /// <summary>Whether the entry is restored, and whether a folder must be entered to look for more.</summary>
    public (bool Selected, bool EnterChildren) Select(string path, bool isDirectory)
    {
        if (Includes.Count > 0)
        {
            var (matched, child) = List(Includes, path, checkChildren: true);
            return (matched, child && isDirectory);
        }

        if (Excludes.Count > 0)
        {
            var (matched, _) = List(Excludes, path, checkChildren: false);
            return (!matched, !matched && isDirectory);
        }

        return (true, isDirectory);
    }

    private static (bool Matched, bool ChildMayMatch) List(IReadOnlyList<GlobPattern> patterns, string path, bool checkChildren)
    {
        var matched = false;
        var child = false;
        foreach (var pattern in patterns)
        {
            var m = pattern.Matches(path);
            var c = !checkChildren || pattern.ChildMayMatch(path);
            if (pattern.IsNegated)
            {
                matched &= !m;
                child &= !m;
            }
            else
            {
                matched |= m;
                child |= c;
            }
        }

        return (matched, child);
    }
}
