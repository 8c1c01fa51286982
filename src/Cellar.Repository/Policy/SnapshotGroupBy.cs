namespace Cellar.Repository.Policy;

/// <summary>
/// Which snapshot fields form a group for retention (restic's <c>--group-by</c>): any of host,
/// paths, tags; the default is host and paths; none at all puts every snapshot in one group.
/// </summary>
public readonly record struct SnapshotGroupBy(bool Host, bool Paths, bool Tags)
{
    public static SnapshotGroupBy Default { get; } = new(Host: true, Paths: true, Tags: false);

    /// <summary>Parses a comma-separated list such as <c>host,paths</c> (also host/hosts, path/paths, tag/tags; empty for none).</summary>
    public static SnapshotGroupBy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new SnapshotGroupBy(false, false, false);
        foreach (var option in text.Split(','))
        {
            result = option switch
            {
                "host" or "hosts" => result with { Host = true },
                "path" or "paths" => result with { Paths = true },
                "tag" or "tags" => result with { Tags = true },
                "" => result,
                _ => throw new FormatException($"unknown grouping option '{option}'; use host, paths and/or tags separated by commas, or '' for no grouping."),
            };
        }

        return result;
    }

    public override string ToString() =>
        string.Join(",", new[] { (Host, "host"), (Paths, "paths"), (Tags, "tags") }.Where(p => p.Item1).Select(p => p.Item2));
}
