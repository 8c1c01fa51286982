namespace Cellar.Cells;

/// <summary>How to read an installation: path mappings (<c>--path-map</c>, or <c>auto</c>) and datasources left out on purpose.</summary>
public sealed record PlanOptions
{
    public static PlanOptions Default { get; } = new();

    public IReadOnlyList<PathMapping> PathMappings { get; init; } = [];

    /// <summary><c>--path-map auto</c>: apply the mapping from the working dir the configuration's paths imply to the discovered one.</summary>
    public bool AutoPathMap { get; init; }

    /// <summary><c>--exclude-datasource NAME</c>: recorded in the manifest and the snapshot's tags, and the backup exits 3.</summary>
    public IReadOnlyList<string> ExcludedDatasources { get; init; } = [];
}
