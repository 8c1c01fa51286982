using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Cellar.Repository.Storage;

namespace Cellar.Storage.S3;

/// <summary>Turns AWS SDK and network failures into <see cref="StorageException"/> sentences.</summary>
internal static class S3ErrorTranslator
{
    public static bool IsNotFound(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is null or "" or "NoSuchKey" or "NotFound";

    public static Exception Translate(Exception ex, S3Location location, string what)
    {
        switch (ex)
        {
            case StorageException or OperationCanceledException or FileNotFoundException:
                return ex;
            case AmazonS3Exception s3 when s3.ErrorCode == "NoSuchBucket":
                return new StorageException(
                    $"the bucket '{location.Bucket}' does not exist at {location.Endpoint}; create the repository with `cellar init` or check the location.",
                    isTransient: false, ex);
            case AmazonS3Exception s3 when s3.ErrorCode is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken"
                                          || s3.StatusCode is HttpStatusCode.Forbidden:
                return new StorageException(
                    $"access denied by {location.Endpoint} while trying to {what} ({s3.ErrorCode ?? s3.StatusCode.ToString()}); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's permissions.",
                    isTransient: false, ex);
            case AmazonS3Exception s3 when s3.ErrorCode is "BadDigest" or "InvalidDigest":
                return new StorageException(
                    $"the S3 server received different bytes than Cellar sent while trying to {what} (Content-MD5 mismatch); the upload was rejected and can be retried.",
                    isTransient: true, ex);
            case AmazonS3Exception s3:
                var transient = (int)s3.StatusCode >= 500 || s3.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                                || s3.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable";
                return new StorageException(
                    $"the S3 server at {location.Endpoint} failed to {what}: {s3.ErrorCode ?? s3.StatusCode.ToString()} {s3.Message}".TrimEnd(),
                    transient, ex);
            case HttpRequestException or SocketException or IOException or AmazonServiceException or AmazonClientException or TimeoutException:
                return new StorageException(
                    $"cannot reach the S3 endpoint {location.Endpoint} to {what}: {Innermost(ex).Message} (check the address and that the server is running).",
                    isTransient: true, ex);
            default:
                return ex;
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
