namespace Cellar.Cells;

/// <summary>
/// One datasource from pydio.json (<c>services.pydio.grpc.data.sync.NAME</c>). LOCAL datasources
/// keep files in <see cref="Folder"/> (as pydio.json names it; a path map turns it into a host
/// path); with <see cref="FlatStorage"/> files are stored by UUID and only the SQL index knows their
/// names. Other storage types (S3, AZURE, GCS, …) keep their objects with the provider:
/// <see cref="Bucket"/>, <see cref="Endpoint"/>, <see cref="ApiKey"/> and <see cref="ApiSecretRef"/>
/// (a vault key whose secret is in pydio-vault.json) say where.
/// </summary>
public sealed record CellsDatasource(string Name, string StorageType, string? Folder, bool FlatStorage, string? ObjectsService, string? Bucket, string? Endpoint)
{
    public bool IsLocal => StorageType == CellsStorageType.Local;

    /// <summary>The pydio.json key the folder was read from (for inspection).</summary>
    public string? FolderKey { get; init; }

    /// <summary>A Cells-internal datasource (<c>StorageConfiguration.cellsInternal</c>: thumbnails, versions).</summary>
    public bool Internal { get; init; }

    /// <summary>The peer (host) this datasource is tied to; a new host must clear it.</summary>
    public string? PeerAddress { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The vault key of the API secret (the secret itself is in pydio-vault.json).</summary>
    public string? ApiSecretRef { get; init; }

    /// <summary>The folder inside the bucket (<c>ObjectsBaseFolder</c>).</summary>
    public string? BaseFolder { get; init; }

    /// <summary>For an S3 datasource, where its objects are (null for other types).</summary>
    public CellsS3Storage? S3 { get; init; }
}
