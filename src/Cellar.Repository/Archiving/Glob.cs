namespace Cellar.Repository.Archiving;

/// <summary>Shell-style matching of one path component (Go's filepath.Match rules, no separators).</summary>
internal static class Glob
{
    public static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    pattern = pattern[1..];
                    if (pattern.Length == 0)
                    {
                        return true;
                    }

                    for (var i = 0; i <= name.Length; i++)
                    {
                        if (Match(pattern, name[i..]))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (name.Length == 0)
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;
                case '[':
                    if (name.Length == 0 || !MatchClass(ref pattern, name[0]))
                    {
                        return false;
                    }

                    name = name[1..];
                    break;
                case '\\' when pattern.Length > 1:
                    if (name.Length == 0 || name[0] != pattern[1])
                    {
                        return false;
                    }

                    pattern = pattern[2..];
                    name = name[1..];
                    break;
                default:
                    if (name.Length == 0 || name[0] != pattern[0])
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;
            }
        }

        return name.Length == 0;
    }

    /// <summary>Matches <paramref name="c"/> against a [class] at the start of the pattern and consumes the class.</summary>
    private static bool MatchClass(ref ReadOnlySpan<char> pattern, char c)
    {
        var i = 1;
        var negate = i < pattern.Length && (pattern[i] == '^' || pattern[i] == '!');
        if (negate)
        {
            i++;
        }

        var matched = false;
        var first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            first = false;
            var lo = pattern[i] == '\\' && i + 1 < pattern.Length ? pattern[++i] : pattern[i];
            i++;
            var hi = lo;
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                hi = pattern[i + 1] == '\\' && i + 2 < pattern.Length ? pattern[i + 2] : pattern[i + 1];
                i += pattern[i + 1] == '\\' ? 3 : 2;
            }

            if (lo <= c && c <= hi)
            {
                matched = true;
            }
        }

        // Unterminated class: treat '[' literally.
        if (i >= pattern.Length)
        {
            pattern = pattern[1..];
            return c == '[';
        }

        pattern = pattern[(i + 1)..];
        return matched != negate;
    }
}
