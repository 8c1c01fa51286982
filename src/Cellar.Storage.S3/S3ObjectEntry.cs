namespace Cellar.Storage.S3;

/// <summary>One object of a bucket listing: key, size, ETag (without quotes) and last-modified time.</summary>
public sealed record S3ObjectEntry(string Key, long Size, string ETag, DateTimeOffset LastModified);
