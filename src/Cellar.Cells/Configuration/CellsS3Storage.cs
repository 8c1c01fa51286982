namespace Cellar.Cells;

/// <summary>
/// Where an S3 datasource keeps its objects, as pydio.json says: the endpoint
/// (<c>StorageConfiguration.customEndpoint</c>, else the objects service's <c>EndpointUrl</c>,
/// else Amazon S3), TLS from its scheme, the bucket (<c>ObjectsBucket</c>), the key prefix
/// (<c>ObjectsBaseFolder</c>), the region (<c>customRegion</c>, default us-east-1), path-style
/// addressing, the access key (<c>ApiKey</c>) and <c>ApiSecret</c>, which names a vault entry
/// (or, when the vault has none by that name, is the secret itself).
/// </summary>
public sealed record CellsS3Storage(Uri Endpoint, string? Bucket, string Prefix, string Region, bool PathStyle, string? ApiKey, string? ApiSecret, string? BucketsRegexp)
{
    public const string AmazonEndpoint = "https://s3.amazonaws.com";

    public bool Secure => Endpoint.Scheme == Uri.UriSchemeHttps;

    public override string ToString() => $"{Endpoint.GetLeftPart(UriPartial.Authority)}/{Bucket}{(Prefix.Length == 0 ? "" : "/" + Prefix)}";
}
