namespace Cellar.Cells;

/// <summary>
/// One datasource from pydio.json. LOCAL datasources keep files in <see cref="Folder"/>; with
/// <see cref="FlatStorage"/> files are stored by UUID and only the SQL index knows their names.
/// </summary>
public sealed record CellsDatasource(string Name, string StorageType, string? Folder, bool FlatStorage, string? ObjectsService, string? Bucket, string? Endpoint)
{
    public bool IsLocal => StorageType == "LOCAL";

    /// <summary>For an S3 datasource, where its objects are (null for other types).</summary>
    public CellsS3Storage? S3 { get; init; }
}
