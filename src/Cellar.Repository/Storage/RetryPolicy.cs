namespace Cellar.Repository.Storage;

/// <summary>How <see cref="RetryingBackend"/> retries: bounded attempts with exponential backoff and jitter.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    /// <summary>Up to 8 attempts, waiting 0.5 s, 1 s, 2 s … up to 30 s between them (about 1.5 min in total).</summary>
    public static RetryPolicy Default { get; } = new(8, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempt counts from 1), with ±20 % jitter.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var baseMs = Math.Min(InitialDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(baseMs * jitter);
    }

    /// <summary>Errors worth another try: what a backend marks transient, and timeouts.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        StorageException storage => storage.IsTransient,
        TimeoutException => true,
        _ => false,
    };
}
