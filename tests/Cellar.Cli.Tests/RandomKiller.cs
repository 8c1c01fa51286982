using System.Diagnostics;

namespace Cellar.Cli.Tests;

/// <summary>
/// Runs the built cellar and kills it with SIGKILL at a random moment. The moment is drawn below a
/// maximum delay; when a run finishes before it, later runs aim inside the run time just seen, so
/// kills land mid-run on fast and slow machines alike.
/// </summary>
internal sealed class RandomKiller(Random random, int maxDelayMilliseconds)
{
    private int _maxDelay = maxDelayMilliseconds;

    public static string Cellar { get; } = Path.Combine(AppContext.BaseDirectory, "cellar");

    /// <summary>How many runs were killed while they ran.</summary>
    public int Killed { get; private set; }

    /// <summary>Runs cellar with these arguments and environment; returns whether it was killed, its exit code and stderr.</summary>
    public async Task<(bool WasKilled, int ExitCode, string Error)> RunAsync(IReadOnlyDictionary<string, string> env, string[] args, CancellationToken cancellationToken)
    {
        File.Exists(Cellar).ShouldBeTrue("the built cellar executable sits beside the tests");
        var psi = new ProcessStartInfo(Cellar) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }

        var started = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await Task.Delay(random.Next(Math.Min(50, _maxDelay - 1), _maxDelay), cancellationToken);
        var killed = !process.HasExited;
        if (killed)
        {
            Killed++;
            process.Kill(entireProcessTree: true);
        }
        else
        {
            await process.WaitForExitAsync(cancellationToken);
            _maxDelay = Math.Max(60, (int)(started.ElapsedMilliseconds * 0.8));
        }

        await process.WaitForExitAsync(cancellationToken);
        await output;
        return (killed, process.ExitCode, await error);
    }
}
