namespace Cellar.Cells;

/// <summary>
/// A bucket Cells keeps for itself beside the datasources: <c>pydio.docstore-binaries</c>
/// (avatars, logos), <c>pydio.thumbs_store</c>, <c>pydio.versions-store</c>, each
/// <c>{"bucket": …, "datasource": …}</c>; <see cref="Datasource"/> <c>default</c> is
/// <c>defaults.datasource</c>.
/// </summary>
public sealed record CellsTechnicalBucket(string ConfigKey, string Bucket, string Datasource);
