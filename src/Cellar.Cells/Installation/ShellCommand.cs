using System.Diagnostics;

namespace Cellar.Cells.Installation;

/// <summary>Runs a user's command line through <c>/bin/sh -c</c>, passing its output on line by line.</summary>
public static class ShellCommand
{
    public static async Task<int> RunAsync(string commandLine, Action<string> output, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(commandLine);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start /bin/sh to run: {commandLine}");
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> output)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            output("  | " + line);
        }
    }
}
