namespace Cellar.Cells;

/// <summary>
/// An objects service (<c>services.pydio.grpc.data.objects.NAME</c>, Cells' <c>MinioConfig</c>): a
/// LOCAL one serves the buckets below <see cref="LocalFolder"/> (one folder per bucket, plus
/// <c>.minio.sys</c>); other storage types are gateways to <see cref="Endpoint"/>.
/// </summary>
public sealed record CellsObjectsService(string Name, string? LocalFolder)
{
    public string StorageType { get; init; } = CellsStorageType.Local;

    public string? Endpoint { get; init; }

    public string? PeerAddress { get; init; }

    public bool IsLocal => StorageType == CellsStorageType.Local;
}
