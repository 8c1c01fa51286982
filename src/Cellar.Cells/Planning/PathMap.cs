namespace Cellar.Cells;

/// <summary>
/// Translates the paths a configuration names (for an installation run in a container:
/// <c>/var/cells/…</c>) into the paths this host sees them at, and back. The longest matching
/// <see cref="PathMapping.ConfigPath"/> wins; only whole paths match (<c>/var/cells2</c> is not
/// under <c>/var/cells</c>).
/// </summary>
public sealed class PathMap
{
    public static PathMap Empty { get; } = new([]);

    public PathMap(IEnumerable<PathMapping> mappings)
    {
        Mappings = mappings.Select(m => new PathMapping(Trim(m.ConfigPath), Trim(m.HostPath))).Where(m => m.ConfigPath != m.HostPath).ToList();
    }

    public IReadOnlyList<PathMapping> Mappings { get; }

    public bool IsEmpty => Mappings.Count == 0;

    /// <summary>Parses <c>CONFIG_PATH=HOST_PATH</c> (both absolute); throws <see cref="ArgumentException"/> with the fix.</summary>
    public static PathMapping ParseOne(string spec)
    {
        var at = spec.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0 || at == spec.Length - 1)
        {
            throw new ArgumentException($"--path-map '{spec}' is not CONFIG_PATH=HOST_PATH (for example --path-map /var/cells=/srv/docker/cells), or 'auto'.");
        }

        var (from, to) = (spec[..at].Trim(), spec[(at + 1)..].Trim());
        if (!Path.IsPathRooted(from) || !Path.IsPathRooted(to))
        {
            throw new ArgumentException($"--path-map '{spec}': both sides must be absolute paths.");
        }

        return new PathMapping(from, to);
    }

    public PathMap With(PathMapping mapping) => new(Mappings.Append(mapping));

    /// <summary>Where this host sees <paramref name="configPath"/>.</summary>
    public string ToHost(string configPath) => Translate(configPath, m => m.ConfigPath, m => m.HostPath);

    /// <summary>What the configuration calls <paramref name="hostPath"/>.</summary>
    public string ToConfig(string hostPath) => Translate(hostPath, m => m.HostPath, m => m.ConfigPath);

    /// <summary>The mapping that translates <paramref name="configPath"/>, if any.</summary>
    public PathMapping? MappingFor(string configPath) =>
        Mappings.Where(m => configPath == m.ConfigPath || configPath.StartsWith(m.ConfigPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.ConfigPath.Length)
            .FirstOrDefault();

    /// <summary>True when <paramref name="hostPath"/> lies in a mapped folder.</summary>
    public bool IsMapped(string hostPath) => ToConfig(hostPath) != hostPath;

    private string Translate(string path, Func<PathMapping, string> from, Func<PathMapping, string> to)
    {
        foreach (var mapping in Mappings.OrderByDescending(m => from(m).Length))
        {
            var prefix = from(mapping);
            if (path == prefix)
            {
                return to(mapping);
            }

            if (path.StartsWith(prefix + "/", StringComparison.Ordinal) || (prefix == "/" && path.StartsWith('/')))
            {
                return to(mapping).TrimEnd('/') + "/" + path[(prefix == "/" ? 1 : prefix.Length + 1)..];
            }
        }

        return path;
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
