using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cellar.Repository.Storage;

namespace Cellar.Storage.S3;

/// <summary>
/// The objects of one bucket (under an optional prefix) as a source to back up and a target to
/// restore into: list, read with metadata, write with metadata. Same client settings as the
/// repository backend (no chunk encoding, checksums only when required, path-style unless told
/// otherwise); transient failures are retried here with backoff, and every failure becomes one
/// <see cref="StorageException"/> sentence naming <see cref="Description"/>.
/// </summary>
public sealed class S3ObjectStore : IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly string _credentialHint;

    private S3ObjectStore(IAmazonS3 client, Uri endpoint, string bucket, string description, string credentialHint)
    {
        _client = client;
        Endpoint = endpoint;
        Bucket = bucket;
        Description = description;
        _credentialHint = credentialHint;
    }

    public Uri Endpoint { get; }

    public string Bucket { get; }

    /// <summary>What error messages call this store, e.g. "S3 datasource ds1 (http://host:9000/bucket)".</summary>
    public string Description { get; }

    /// <summary>Waits between attempts of a request that failed transiently (the last failure is thrown).</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    /// <summary>Called before each retry with the failure's sentence.</summary>
    public Action<string>? OnRetry { get; set; }

    /// <param name="credentialHint">what to check when access is denied, e.g. "its ApiKey and secret".</param>
    public static S3ObjectStore Open(Uri endpoint, string bucket, string region, bool pathStyle, string accessKey, string secretKey, string description, string credentialHint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.GetLeftPart(UriPartial.Authority) + "/",
            ForcePathStyle = pathStyle,
            UseHttp = endpoint.Scheme == Uri.UriSchemeHttp,
            AuthenticationRegion = region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(5),
        };
        return new S3ObjectStore(new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config), endpoint, bucket, description, credentialHint);
    }

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in the server's (key) order.</summary>
    public async IAsyncEnumerable<S3ObjectEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        while (true)
        {
            var page = await RetryAsync(
                "list the bucket",
                ct => _client.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, Prefix = prefix, Marker = marker, MaxKeys = 1000 }, ct),
                cancellationToken).ConfigureAwait(false);
            var objects = page.S3Objects ?? [];
            foreach (var item in objects)
            {
                yield return new S3ObjectEntry(item.Key, item.Size ?? 0, Unquote(item.ETag), item.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch);
            }

            if (page.IsTruncated != true || objects.Count == 0)
            {
                yield break;
            }

            marker = page.NextMarker ?? objects[^1].Key;
        }
    }

    /// <summary>True when at least one object's key starts with <paramref name="prefix"/>.</summary>
    public async Task<bool> HasObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var page = await RetryAsync(
            "list the bucket",
            ct => _client.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, Prefix = prefix, MaxKeys = 1 }, ct),
            cancellationToken).ConfigureAwait(false);
        return page.S3Objects is { Count: > 0 };
    }

    /// <summary>Opens an object for reading; null when it no longer exists. A read that breaks is resumed at its offset, only from the same ETag.</summary>
    public async Task<S3ObjectRead?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await RetryAsync("read " + key, ct => _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.InnerException is AmazonS3Exception s3 && s3.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in response.Metadata.Keys)
        {
            var shortName = name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? name["x-amz-meta-".Length..] : name;
            metadata[shortName.ToLowerInvariant()] = response.Metadata[name];
        }

        var etag = Unquote(response.ETag);
        var stream = new ResumingObjectStream(this, key, etag, response.ContentLength, response);
        return new S3ObjectRead(
            key,
            response.ContentLength,
            etag,
            response.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch,
            response.Headers.ContentType,
            string.IsNullOrEmpty(response.VersionId) || response.VersionId == "null" ? null : response.VersionId,
            metadata,
            stream);
    }

    /// <summary>Reopens an object at <paramref name="offset"/>, only if it still has <paramref name="etag"/>.</summary>
    internal Task<GetObjectResponse> ReopenAsync(string key, string etag, long offset, CancellationToken cancellationToken) =>
        RetryAsync(
            "read " + key,
            ct => _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, EtagToMatch = etag, ByteRange = new ByteRange($"bytes={offset}-") }, ct),
            cancellationToken);

    /// <summary>Writes an object in one PUT (no chunk encoding) with its content type and user metadata; returns the ETag the server gave it.</summary>
    public async Task<string> WriteAsync(string key, Func<Task<Stream>> open, long length, string? contentType, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(metadata);
        var response = await RetryAsync("write " + key, async ct =>
        {
            await using var content = await open().ConfigureAwait(false);
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = content,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                ContentType = contentType ?? "binary/octet-stream",
            };
            request.Headers.ContentLength = length;
            foreach (var (name, value) in metadata)
            {
                request.Metadata.Add("x-amz-meta-" + name, value);
            }

            return await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return Unquote(response.ETag);
    }

    public void Dispose() => _client.Dispose();

    internal async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = Translate(ex, what);
                if (!failure.IsTransient || attempt >= RetryDelays.Count)
                {
                    throw failure;
                }

                OnRetry?.Invoke($"{failure.Message} (retrying in {RetryDelays[attempt].TotalSeconds:0.#} s)");
                await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private StorageException Translate(Exception ex, string what)
    {
        var where = $"{Description}";
        return ex switch
        {
            StorageException s => s,
            AmazonS3Exception s3 when s3.ErrorCode == "NoSuchBucket" =>
                new StorageException($"{where}: the bucket '{Bucket}' does not exist at {Endpoint.GetLeftPart(UriPartial.Authority)}; check the datasource's bucket or create it.", isTransient: false, ex),
            AmazonS3Exception s3 when s3.ErrorCode is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" || s3.StatusCode is HttpStatusCode.Forbidden =>
                new StorageException($"{where}: access denied while trying to {what} ({s3.ErrorCode ?? s3.StatusCode.ToString()}); check {_credentialHint}.", isTransient: false, ex),
            AmazonS3Exception s3 when s3.StatusCode == HttpStatusCode.NotFound =>
                new StorageException($"{where}: {what}: not found.", isTransient: false, ex),
            AmazonS3Exception s3 when s3.StatusCode == HttpStatusCode.PreconditionFailed =>
                new StorageException($"{where}: the object changed while it was read ({what}).", isTransient: false, ex),
            AmazonS3Exception s3 =>
                new StorageException($"{where}: the server failed to {what}: {s3.ErrorCode ?? s3.StatusCode.ToString()} {s3.Message}".TrimEnd(),
                    (int)s3.StatusCode >= 500 || s3.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || s3.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError", ex),
            HttpRequestException or System.Net.Sockets.SocketException or IOException or AmazonServiceException or AmazonClientException or TimeoutException or TaskCanceledException =>
                new StorageException($"{where}: cannot reach {Endpoint.GetLeftPart(UriPartial.Authority)} to {what} ({Innermost(ex).Message}); check the endpoint and that the server is running.", isTransient: true, ex),
            _ => new StorageException($"{where}: could not {what}: {ex.Message}", isTransient: false, ex),
        };
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private static string Unquote(string? etag) => (etag ?? "").Trim().Trim('"');
}
