using Cellar.Repository.Storage;

namespace Cellar.Storage.S3;

/// <summary>
/// Opens <c>s3:</c> locations for the CLI: credentials from the environment, the bucket created
/// when asked (for <c>init</c>), and the standard wrapper stack (retries, limits) on top.
/// </summary>
public static class S3BackendFactory
{
    /// <summary>The location prefix this factory handles.</summary>
    public const string Scheme = S3Location.Scheme;

    public static bool Handles(string location) => S3Location.Matches(location);

    /// <summary>
    /// Opens a location without touching the network (for a scheme registry whose factories are
    /// synchronous): credentials from <paramref name="getVariable"/>, wrapped in retries and limits.
    /// </summary>
    public static IBackend Open(string location, Func<string, string?> getVariable, Action<string>? log = null)
    {
        S3Location parsed;
        try
        {
            parsed = S3Location.Parse(location);
        }
        catch (FormatException ex)
        {
            throw new StorageException(ex.Message, isTransient: false, ex);
        }

        return BackendStack.Compose(S3Backend.Open(parsed, S3Credentials.FromEnvironment(getVariable)), BackendLimits.Remote, RetryPolicy.Default, log);
    }

    /// <summary>Creates the bucket of an S3 backend (raw or composed) when missing; false for other backends or an existing bucket.</summary>
    public static async Task<bool> CreateBucketIfMissingAsync(IBackend backend, CancellationToken cancellationToken) =>
        BackendStack.Unwrap(backend) is S3Backend s3 && await s3.CreateBucketIfMissingAsync(cancellationToken).ConfigureAwait(false);

    /// <param name="location">an <c>s3:http(s)://host[:port]/bucket[/prefix]</c> location.</param>
    /// <param name="getVariable">reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION.</param>
    /// <param name="createBucket">true for <c>init</c>: create the bucket when it is missing.</param>
    /// <param name="log">where retries are reported (null: silent).</param>
    public static async Task<IBackend> OpenAsync(string location, Func<string, string?> getVariable, bool createBucket, Action<string>? log, CancellationToken cancellationToken)
    {
        S3Location parsed;
        try
        {
            parsed = S3Location.Parse(location);
        }
        catch (FormatException ex)
        {
            throw new StorageException(ex.Message, isTransient: false, ex);
        }

        var raw = S3Backend.Open(parsed, S3Credentials.FromEnvironment(getVariable));
        var stacked = BackendStack.Compose(raw, BackendLimits.Remote, RetryPolicy.Default, log);
        if (createBucket)
        {
            try
            {
                if (await raw.CreateBucketIfMissingAsync(cancellationToken).ConfigureAwait(false))
                {
                    log?.Invoke($"created bucket '{parsed.Bucket}' at {parsed.Endpoint}");
                }
            }
            catch
            {
                await stacked.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return stacked;
    }
}
