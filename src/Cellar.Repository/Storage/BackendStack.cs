namespace Cellar.Repository.Storage;

/// <summary>
/// The one place where a raw backend gets its wrappers: retries outside (a waiting retry holds no
/// slot), concurrency limits inside. Every command opens its backend through here.
/// </summary>
public static class BackendStack
{
    public static IBackend Compose(IBackend raw, BackendLimits limits, RetryPolicy? retry = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new RetryingBackend(new LimitedBackend(raw, limits), retry ?? RetryPolicy.Default, log);
    }

    /// <summary>The backend at the bottom of a composed stack (for backend-specific operations).</summary>
    public static IBackend Unwrap(IBackend backend)
    {
        while (true)
        {
            switch (backend)
            {
                case RetryingBackend retrying:
                    backend = retrying.Inner;
                    break;
                case LimitedBackend limited:
                    backend = limited.Inner;
                    break;
                default:
                    return backend;
            }
        }
    }
}
