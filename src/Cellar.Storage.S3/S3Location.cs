namespace Cellar.Storage.S3;

/// <summary>
/// A parsed <c>s3:</c> repository location: <c>s3:http(s)://host[:port]/bucket[/prefix]</c>
/// (an endpoint without scheme, <c>s3:host/bucket</c>, means https, as restic reads it).
/// </summary>
public sealed record S3Location(Uri Endpoint, string Bucket, string Prefix)
{
    public const string Scheme = "s3:";

    /// <summary>True when the location names an S3 repository.</summary>
    public static bool Matches(string location) => location.StartsWith(Scheme, StringComparison.Ordinal);

    public static S3Location Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!Matches(location))
        {
            throw new FormatException($"'{location}' is not an S3 location; write it as s3:https://host[:port]/bucket[/prefix].");
        }

        var rest = location[Scheme.Length..];
        if (!rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            rest = "https://" + rest;
        }

        if (!Uri.TryCreate(rest, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{location}' is not a valid S3 location; write it as s3:https://host[:port]/bucket[/prefix].");
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length == 0)
        {
            throw new FormatException($"'{location}' names no bucket; write it as s3:{uri.Scheme}://{uri.Authority}/bucket[/prefix].");
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? "" : Uri.UnescapeDataString(path[(slash + 1)..]).Trim('/');
        var endpoint = new Uri($"{uri.Scheme}://{uri.Authority}/");
        return new S3Location(endpoint, bucket, prefix);
    }

    /// <summary>The object key of a repository path (prefix joined with '/').</summary>
    public string KeyOf(string relativePath) => Prefix.Length == 0 ? relativePath : Prefix + "/" + relativePath;

    public override string ToString() =>
        $"{Scheme}{Endpoint.Scheme}://{Endpoint.Authority}/{Bucket}" + (Prefix.Length == 0 ? "" : "/" + Prefix);
}
