using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Storage;

/// <summary>
/// Retries transient failures of the backend it wraps (see <see cref="RetryPolicy.IsTransient"/>)
/// with exponential backoff, a bounded number of times, and logs each retry. Permanent errors and
/// missing files pass through at once. Saves are safe to repeat: backends accept saving the same
/// bytes under the same name again.
/// </summary>
public sealed class RetryingBackend(IBackend inner, RetryPolicy policy, Action<string>? log = null, Func<TimeSpan, CancellationToken, Task>? delay = null) : IBackend
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    public string Location => inner.Location;

    public int ReadConcurrency => inner.ReadConcurrency;

    public IBackend Inner => inner;

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        RunAsync($"save {handle}", async () =>
        {
            await inner.SaveAsync(handle, data, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task SaveAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken) =>
        RunAsync($"save {handle}", async () =>
        {
            await inner.SaveAsync(handle, source, length, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken) =>
        RunAsync($"load {handle}", () => inner.LoadAsync(handle, offset, length, cancellationToken), cancellationToken);

    public async ValueTask<int> ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        await RunAsync($"load {handle}", async () => await inner.ReadAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken) =>
        RunAsync($"stat {handle}", () => inner.StatAsync(handle, cancellationToken), cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) =>
        RunAsync($"remove {handle}", async () =>
        {
            await inner.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A listing that fails midway is started again; names already returned are not returned twice.</summary>
    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var batch = new List<RemoteFile>();
            Exception? failure = null;
            var enumerator = inner.ListAsync(type, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (RetryPolicy.IsTransient(ex) && attempt < policy.MaxAttempts && !cancellationToken.IsCancellationRequested)
                    {
                        failure = ex;
                        break;
                    }

                    batch.Add(enumerator.Current);
                    if (batch.Count >= 1000)
                    {
                        foreach (var file in Flush(batch, seen))
                        {
                            yield return file;
                        }
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var file in Flush(batch, seen))
            {
                yield return file;
            }

            if (failure is null)
            {
                yield break;
            }

            await WaitBeforeRetryAsync($"list {type}", attempt, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static List<RemoteFile> Flush(List<RemoteFile> batch, HashSet<string> seen)
    {
        var fresh = batch.Where(f => seen.Add(f.Name)).ToList();
        batch.Clear();
        return fresh;
    }

    private async Task<T> RunAsync<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception ex) when (RetryPolicy.IsTransient(ex) && attempt < policy.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await WaitBeforeRetryAsync(what, attempt, ex, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitBeforeRetryAsync(string what, int attempt, Exception ex, CancellationToken cancellationToken)
    {
        var wait = policy.DelayAfter(attempt);
        log?.Invoke($"{what} failed (attempt {attempt} of {policy.MaxAttempts}): {ex.Message}; retrying in {wait.TotalSeconds:0.0} s");
        await _delay(wait, cancellationToken).ConfigureAwait(false);
    }
}
