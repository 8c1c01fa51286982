namespace Cellar.Storage.S3;

/// <summary>An object being read: its metadata as the GET answered, and its bytes (resumed from where a broken read stopped).</summary>
public sealed record S3ObjectRead(
    string Key,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string? ContentType,
    string? VersionId,
    IReadOnlyDictionary<string, string> Metadata,
    Stream Content);
