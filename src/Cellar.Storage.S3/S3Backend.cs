using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cellar.Repository.Storage;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Storage.S3;

/// <summary>
/// A restic repository in an S3 bucket (restic's layout under an optional prefix), through the AWS
/// SDK with path-style addressing. Every upload is one PUT without chunk encoding, carrying
/// Content-MD5 so the server rejects damaged bytes, and its returned ETag is compared with the MD5
/// of what was sent. Retries are left to <see cref="RetryingBackend"/>.
/// </summary>
public sealed class S3Backend : IBackend, IPreparableBackend
{
    private readonly IAmazonS3 _client;
    private readonly S3Location _location;
    private volatile bool _useListV1;

    private S3Backend(IAmazonS3 client, S3Location location)
    {
        _client = client;
        _location = location;
    }

    public string Location => _location.ToString();

    /// <summary>Keys per listing request (S3's maximum is 1000; tests lower it to exercise paging).</summary>
    internal int ListPageSize { get; set; } = 1000;

    /// <summary>Connects to the location with the given credentials (no request is made yet).</summary>
    public static S3Backend Open(S3Location location, S3Credentials credentials)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(credentials);
        var config = new AmazonS3Config
        {
            ServiceURL = location.Endpoint.ToString(),
            ForcePathStyle = true,
            UseHttp = location.Endpoint.Scheme == Uri.UriSchemeHttp,
            AuthenticationRegion = credentials.Region,
            // Plain S3-compatible servers reject the SDK's default trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Retrying is the job of RetryingBackend, which logs and bounds it.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(5),
        };
        AWSCredentials awsCredentials = credentials.SessionToken is { } token
            ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey);
        return new S3Backend(new AmazonS3Client(awsCredentials, config), location);
    }

    /// <summary>Creates the bucket when it does not exist yet (for <c>init</c>); true when it was created.</summary>
    public async Task<bool> CreateBucketIfMissingAsync(CancellationToken cancellationToken)
    {
        if (await BucketExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _location.Bucket }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"create the bucket '{_location.Bucket}'");
        }
    }

    /// <summary>For <c>init</c>: the bucket is created when missing.</summary>
    public Task PrepareForNewRepositoryAsync(CancellationToken cancellationToken) => CreateBucketIfMissingAsync(cancellationToken);

    private async Task<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = _location.Bucket }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket" || (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is null or "" or "NotFound"))
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"look up the bucket '{_location.Bucket}'");
        }
    }

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SaveCoreAsync(handle, data.Length, MD5.HashData(data.Span), () => AsStream(data), cancellationToken);

    /// <summary>Uploads from the file (one PUT streamed from positioned reads; the MD5 is computed first by reading it once).</summary>
    public async Task SaveAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        byte[] md5;
        await using (var hashed = new FileSliceStream(source, length))
        {
            md5 = await MD5.HashDataAsync(hashed, cancellationToken).ConfigureAwait(false);
        }

        await SaveCoreAsync(handle, length, md5, () => new FileSliceStream(source, length), cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveCoreAsync(FileHandle handle, long length, byte[] md5, Func<Stream> open, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        var md5Hex = Convert.ToHexStringLower(md5);
        try
        {
            var existing = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                if (existing.ContentLength == length && NormalizeETag(existing.ETag) == md5Hex)
                {
                    return; // the same bytes are already there: saving again is a no-op
                }

                throw new StorageException(
                    $"{handle} already exists in {Location} with other content; Cellar never overwrites repository files (check that no other program writes there).",
                    isTransient: false);
            }

            using var stream = open();
            var request = new PutObjectRequest
            {
                BucketName = _location.Bucket,
                Key = key,
                InputStream = stream,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                MD5Digest = Convert.ToBase64String(md5),
                ContentType = "application/octet-stream",
            };
            var response = await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var etag = NormalizeETag(response.ETag);
            if (IsMd5ETag(etag) && etag != md5Hex)
            {
                throw new StorageException(
                    $"the S3 server stored {handle} with checksum {etag} but Cellar sent bytes with MD5 {md5Hex}; the upload is damaged, try again.",
                    isTransient: true);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"save {handle}");
        }
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var request = new GetObjectRequest { BucketName = _location.Bucket, Key = KeyOf(handle) };
        if (length > 0)
        {
            request.ByteRange = new ByteRange(offset, checked(offset + length - 1));
        }
        else if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var expected = length > 0 ? length : response.ContentLength;
            var buffer = new byte[checked((int)expected)];
            await using var body = response.ResponseStream;
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read != buffer.Length)
            {
                throw new StorageException(
                    $"{handle} in {Location} is shorter than expected: asked for {buffer.Length} bytes at offset {offset}, got {read}.",
                    isTransient: false);
            }

            return buffer;
        }
        catch (AmazonS3Exception ex) when (S3ErrorTranslator.IsNotFound(ex))
        {
            throw new FileNotFoundException($"{handle} does not exist in {Location}.", handle.ToString(), ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || ex.ErrorCode == "InvalidRange")
        {
            throw new StorageException($"{handle} in {Location} is shorter than expected: nothing at offset {offset}.", isTransient: false, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"load {handle}");
        }
    }

    public async Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            var response = await HeadAsync(KeyOf(handle), cancellationToken).ConfigureAwait(false);
            // A HEAD answer of 404 cannot tell a missing file from a missing bucket: both are "no
            // such file" here (opening then says there is no repository; init creates the bucket).
            return response?.ContentLength;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"stat {handle}");
        }
    }

    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = RepositoryLayout.Directory(type);
        var prefix = type == FileType.Config ? _location.KeyOf("config") : _location.KeyOf(directory + "/");
        var what = $"list {(type == FileType.Config ? "config" : directory + "/")}";
        string? continuation = null;
        string? marker = null;
        while (true)
        {
            var (objects, truncated, next) = await ListPageAsync(prefix, continuation, marker, what, cancellationToken).ConfigureAwait(false);
            foreach (var item in objects)
            {
                if (ToRemoteFile(type, item.Key[prefix.Length..], item.Size ?? 0) is { } file)
                {
                    yield return file;
                }
            }

            if (!truncated || objects.Count == 0)
            {
                yield break;
            }

            // V2 pages continue from a token, V1 pages from the last key seen.
            continuation = next;
            marker = next is null ? objects[^1].Key : null;
        }
    }

    /// <summary>
    /// One page of a listing. ListObjectsV2 first; servers that fail V2 paging (some S3-compatible
    /// servers cannot make continuation tokens) are listed with V1 markers from then on.
    /// </summary>
    private async Task<(List<S3Object> Objects, bool Truncated, string? Next)> ListPageAsync(
        string prefix, string? continuation, string? marker, string what, CancellationToken cancellationToken)
    {
        try
        {
            if (!_useListV1 && marker is null)
            {
                try
                {
                    var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix, MaxKeys = ListPageSize, ContinuationToken = continuation };
                    var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                    return (response.S3Objects ?? [], response.IsTruncated == true, response.NextContinuationToken);
                }
                catch (AmazonS3Exception ex) when (continuation is null && ex.ErrorCode is "InternalError" or "NotImplemented")
                {
                    _useListV1 = true;
                }
            }

            var v1 = new ListObjectsRequest { BucketName = _location.Bucket, Prefix = prefix, MaxKeys = ListPageSize, Marker = marker };
            var page = await _client.ListObjectsAsync(v1, cancellationToken).ConfigureAwait(false);
            return (page.S3Objects ?? [], page.IsTruncated == true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, what);
        }
    }

    /// <summary>The file a key (relative to its type's folder) names, or null for keys outside restic's layout.</summary>
    private static RemoteFile? ToRemoteFile(FileType type, string relative, long size)
    {
        if (type == FileType.Config)
        {
            return relative.Length == 0 ? new RemoteFile("config", size) : null;
        }

        var name = relative;
        if (type == FileType.Pack)
        {
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash != 2)
            {
                return null;
            }

            name = relative[(slash + 1)..];
        }

        return name.Length == 0 || name.Contains('/', StringComparison.Ordinal) ? null : new RemoteFile(name, size);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _location.Bucket, Key = KeyOf(handle) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (S3ErrorTranslator.IsNotFound(ex))
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw S3ErrorTranslator.Translate(ex, _location, $"remove {handle}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private string KeyOf(FileHandle handle) => _location.KeyOf(RepositoryLayout.PathOf(handle));

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (S3ErrorTranslator.IsNotFound(ex))
        {
            return null;
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    private static string NormalizeETag(string? etag) => (etag ?? "").Trim().Trim('"').ToLowerInvariant();

    private static bool IsMd5ETag(string etag) => etag.Length == 32 && etag.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;
}
