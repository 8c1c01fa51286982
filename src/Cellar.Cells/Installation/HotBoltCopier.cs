using Cellar.Cells.Bolt;
using Cellar.Cells.Platform;

namespace Cellar.Cells.Installation;

/// <summary>
/// Copies a BoltDB file that a writer may be committing to, without its lock, and keeps the copy
/// only when the verifier finds it sound; a torn copy is read again (a commit rarely spans the
/// whole read), up to a bound.
/// </summary>
public static class HotBoltCopier
{
    /// <summary>The verified copy's path (null when none read sound), the attempts, and the last problem seen.</summary>
    public static async Task<(string? Copy, int Attempts, string? Problem)> CopyVerifiedAsync(string source, string destination, int retries, CancellationToken cancellationToken)
    {
        string? problem = null;
        for (var attempt = 1; attempt <= Math.Max(1, retries); attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CopyAsync(source, destination, cancellationToken).ConfigureAwait(false);
            var result = BoltVerifier.Verify(destination, cancellationToken);
            if (result.IsSound)
            {
                return (destination, attempt, null);
            }

            problem = string.Join("; ", result.Problems.Take(3));
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, 5 * attempt)), cancellationToken).ConfigureAwait(false);
        }

        File.Delete(destination);
        return (null, Math.Max(1, retries), problem);
    }

    private static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        using var input = UnlockedFile.OpenRead(source);
        await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        var buffer = new byte[1 << 20];
        long offset = 0;
        while (true)
        {
            var read = await RandomAccess.ReadAsync(input, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            offset += read;
        }
    }
}
