namespace Cellar.Repository.Globbing;

/// <summary>
/// The one glob engine: matching of one path component as Go's <c>filepath.Match</c> (which restic's
/// filter uses): '*', '?', '[...]' with ranges and '^', '\' escapes; a pattern with an unclosed '['
/// or a trailing '\' is malformed (<see cref="IsValid"/>). Backup excludes (<c>ExcludePattern</c>)
/// and restore includes/excludes (<c>GlobPattern</c>) both match their components here.
/// </summary>
internal static class GlobMatcher
{
    public static bool Match(string pattern, string name)
    {
        if (pattern.AsSpan().IndexOfAny("*?[\\") < 0)
        {
            return string.Equals(pattern, name, StringComparison.Ordinal);
        }

        return MatchFrom(pattern, 0, name, 0);
    }

    public static bool IsValid(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (++i >= pattern.Length)
                {
                    return false;
                }
            }
            else if (pattern[i] == '[')
            {
                if (!TryClass(pattern, i, 'a', out _, out _))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool MatchFrom(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                while (p < pattern.Length && pattern[p] == '*')
                {
                    p++;
                }

                if (p == pattern.Length)
                {
                    return name.IndexOf('/', n) < 0;
                }

                for (var k = n; k <= name.Length; k++)
                {
                    if (MatchFrom(pattern, p, name, k))
                    {
                        return true;
                    }

                    if (k < name.Length && name[k] == '/')
                    {
                        break;
                    }
                }

                return false;
            }

            if (n >= name.Length)
            {
                return false;
            }

            if (c == '?')
            {
                if (name[n] == '/')
                {
                    return false;
                }

                n += char.IsHighSurrogate(name[n]) && n + 1 < name.Length ? 2 : 1;
                p++;
                continue;
            }

            if (c == '[')
            {
                if (!TryClass(pattern, p, name[n], out var matched, out var end) || !matched || name[n] == '/')
                {
                    return false;
                }

                p = end;
                n++;
                continue;
            }

            if (c == '\\')
            {
                p++;
                if (p >= pattern.Length)
                {
                    return false;
                }

                c = pattern[p];
            }

            if (c != name[n])
            {
                return false;
            }

            p++;
            n++;
        }

        return n == name.Length;
    }

    // Parses the class starting at pattern[start] == '['; reports whether ch is in it and where it ends.
    private static bool TryClass(string pattern, int start, char ch, out bool matched, out int end)
    {
        matched = false;
        end = start;
        var i = start + 1;
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }

        var any = false;
        var first = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                return false;
            }

            if (pattern[i] == ']' && !first)
            {
                i++;
                break;
            }

            first = false;
            if (!TryClassChar(pattern, ref i, out var lo))
            {
                return false;
            }

            var hi = lo;
            if (i < pattern.Length && pattern[i] == '-' && i + 1 < pattern.Length && pattern[i + 1] != ']')
            {
                i++;
                if (!TryClassChar(pattern, ref i, out hi))
                {
                    return false;
                }
            }

            if (lo <= ch && ch <= hi)
            {
                any = true;
            }
        }

        matched = any != negated;
        end = i;
        return true;
    }

    private static bool TryClassChar(string pattern, ref int i, out char c)
    {
        c = pattern[i];
        if (c == '\\')
        {
            i++;
            if (i >= pattern.Length)
            {
                return false;
            }

            c = pattern[i];
        }

        i++;
        return true;
    }
}
