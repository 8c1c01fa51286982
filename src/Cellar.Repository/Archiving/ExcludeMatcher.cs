using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>The exclude patterns applied to the entries of one directory: its path is split once, each entry adds its name.</summary>
internal sealed class ExcludeMatcher
{
    private readonly IReadOnlyList<ExcludePattern> _patterns;
    private readonly List<string> _components;

    public ExcludeMatcher(IReadOnlyList<ExcludePattern> patterns, RawPath directory)
    {
        _patterns = patterns;
        _components = [];
        foreach (var part in directory.Split())
        {
            _components.Add(part.ToString());
        }

        _components.Add("");
    }

    public bool IsExcluded(RawPath name)
    {
        _components[^1] = name.ToString();
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(_components))
            {
                return true;
            }
        }

        return false;
    }
}
