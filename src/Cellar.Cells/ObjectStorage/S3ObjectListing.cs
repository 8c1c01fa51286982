using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// The sidecar a snapshot keeps per S3 datasource (<see cref="Installation.SnapshotLayout.S3Listings"/>):
/// where the bucket was and, for every object, its key, where its bytes are under
/// <c>/.cellar/s3/DATASOURCE/</c>, and the metadata a restore puts back.
/// </summary>
public sealed record S3ObjectListing
{
    public required string Datasource { get; init; }
    public required string Endpoint { get; init; }
    public required string Bucket { get; init; }
    public required string Prefix { get; init; }

    /// <summary>When the listing was taken (after the database dump).</summary>
    public required DateTimeOffset ListedAt { get; init; }
    public required IReadOnlyList<S3ListedObject> Objects { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, S3ObjectListingJson.Default.S3ObjectListing);

    public static S3ObjectListing FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, S3ObjectListingJson.Default.S3ObjectListing) ?? throw new InvalidDataException("The S3 object listing is empty.");
}

/// <summary>One object: its full key, its path under the datasource's folder in the snapshot, and its metadata.</summary>
public sealed record S3ListedObject(
    string Key,
    string Path,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string? ContentType,
    string? VersionId,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>Source-generated JSON metadata for <see cref="S3ObjectListing"/> (no reflection: the CLI can be published ahead of time).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3ObjectListing))]
internal sealed partial class S3ObjectListingJson : JsonSerializerContext;
