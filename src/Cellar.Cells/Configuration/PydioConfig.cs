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
    /// <summary>Where the SQL database entry sits in the file: <c>databases.KEY</c>, or <c>defaults.database</c> when written inline (v5).</summary>
    public string DatabaseEntry => DatabaseKey.Length == 0 ? "defaults.database" : "databases." + DatabaseKey;
}
