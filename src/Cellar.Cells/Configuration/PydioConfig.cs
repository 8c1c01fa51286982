namespace Cellar.Cells;

/// <summary>What Cellar needs from a pydio.json (v2.1 to v5 shapes).</summary>
public sealed record PydioConfig(
    string Path,
    string? Version,
    string DatabaseKey,
    string SqlDriver,
    string SqlDsn,
    IReadOnlyList<CellsDatasource> Datasources,
    IReadOnlyList<CellsObjectsService> ObjectsServices,
    IReadOnlyList<CellsStore> Stores,
    IReadOnlyList<string> Warnings)
{
    /// <summary>MongoDB databases holding document stores; Cellar stores them only through a dump command.</summary>
    public IReadOnlyList<CellsMongoStore> MongoStores { get; init; } = [];

    /// <summary>Technical buckets (binaries, thumbs, versions), with Cells' defaults when pydio.json does not name them.</summary>
    public IReadOnlyList<CellsTechnicalBucket> TechnicalBuckets { get; init; } = [];

    /// <summary><c>defaults.datasource</c>: the datasource a technical bucket named <c>default</c> lives in.</summary>
    public string? DefaultDatasource { get; init; }
}
