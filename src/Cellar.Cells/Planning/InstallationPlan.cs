using Cellar.Cells.Discovery;
using Cellar.Databases;

namespace Cellar.Cells;

/// <summary>
/// What a backup of a Cells installation takes: the paths (working dir, split dirs and stores
/// outside it, external LOCAL datasource folders and their <c>.minio.sys</c>, objects-service
/// buckets; none below another), the SQL database (parsed by Cellar.Databases; <c>ToString()</c> hides the password), the datasource map, the BoltDB/Bleve stores to verify, and warnings.
/// <see cref="Missing"/> lists what the configuration names but this host lacks, <see cref="LeftOut"/>
/// what the snapshot will not hold on purpose.
/// </summary>
public sealed record InstallationPlan(
    CellsLocations Locations,
    PydioConfig Config,
    IReadOnlyList<PlannedPath> Paths,
    DatabaseDsn Database,
    IReadOnlyList<CellsDatasource> Datasources,
    IReadOnlyList<string> BoltFiles,
    IReadOnlyList<string> BleveFolders,
    IReadOnlyList<string> Warnings)
{
    public string? CellsVersion => Config.Version;

    /// <summary>Configuration paths → host paths (from <c>--path-map</c>, or applied by <c>auto</c>).</summary>
    public PathMap PathMap { get; init; } = PathMap.Empty;

    public IReadOnlyList<MissingPath> Missing { get; init; } = [];

    public IReadOnlyList<LeftOutPart> LeftOut { get; init; } = [];

    /// <summary>Folders of excluded datasources that lie inside planned paths: the walk skips them.</summary>
    public IReadOnlyList<string> ExcludedFolders { get; init; } = [];

    /// <summary>The working dir the configuration's own paths imply (e.g. <c>/var/cells</c> in a container), when it can be told.</summary>
    public string? ImpliedWorkingDir { get; init; }

    /// <summary>The mapping <c>--path-map auto</c> applies (or would apply): implied working dir → discovered working dir.</summary>
    public PathMapping? ProposedPathMap { get; init; }

    /// <summary>
    /// One sentence naming every missing path and the ways forward; null when nothing is missing.
    /// </summary>
    public string? DescribeMissing()
    {
        if (Missing.Count == 0)
        {
            return null;
        }

        var named = string.Join("; ", Missing.Select(m => $"{m.Path} ({m.Role}, from {m.Origin}{(m.ConfigPath is { } c && c != m.Path ? ", written " + c : "")})"));
        var ways = new List<string>();
        if (ProposedPathMap is { } proposal && !PathMap.Mappings.Contains(proposal))
        {
            ways.Add($"the configuration's paths imply the working dir {proposal.ConfigPath} (as inside a container) while this host has it at {proposal.HostPath}: " +
                     $"run again with --path-map {proposal} (or --path-map auto)");
        }

        ways.Add("map a folder the configuration names to where this host sees it with --path-map CONFIG_PATH=HOST_PATH");
        var datasources = Missing.Select(m => m.Datasource).OfType<string>().Distinct().ToList();
        if (datasources.Count > 0)
        {
            ways.Add($"or leave a datasource out on purpose with {string.Join(" ", datasources.Select(d => "--exclude-datasource " + d))} (recorded in the snapshot, which is then marked incomplete: exit code 3)");
        }

        return $"{Missing.Count} path(s) named by the Cells configuration are not on this host, so a backup would silently lack them: {named}. " +
               string.Join("; ", ways) + ".";
    }
}
