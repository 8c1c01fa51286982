namespace Cellar.Cells;

/// <summary>What Cellar needs from a pydio.json (v4 or v5 shape).</summary>
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
}
