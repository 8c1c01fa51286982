namespace Cellar.Repository.Globbing;

/// <summary>
/// restic's path patterns over path components, the one implementation behind backup excludes
/// (<c>Archiving/ExcludePattern</c>) and restore filters (<c>Restoring/GlobPattern</c>): each
/// pattern component is a glob for one name (<see cref="GlobMatcher"/>), and <c>**</c> spans any
/// number of components, none included.
/// </summary>
internal static class ComponentGlob
{
    /// <summary>
    /// Whether the pattern's components from <paramref name="part"/> on match the path's from
    /// <paramref name="index"/> on, one name each, the pattern used up at or before the path's end
    /// (what lies after a match is below it, so it matches too).
    /// </summary>
    public static bool MatchFrom(IReadOnlyList<string> pattern, int part, IReadOnlyList<string> components, int index)
    {
        if (part == pattern.Count)
        {
            return true;
        }

        if (pattern[part] == "**")
        {
            for (var skip = index; skip <= components.Count; skip++)
            {
                if (MatchFrom(pattern, part + 1, components, skip))
                {
                    return true;
                }
            }

            return false;
        }

        return index < components.Count
            && GlobMatcher.Match(pattern[part], components[index])
            && MatchFrom(pattern, part + 1, components, index + 1);
    }
}
