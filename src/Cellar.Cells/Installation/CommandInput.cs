using System.Diagnostics;

namespace Cellar.Cells.Installation;

/// <summary>Runs a <see cref="CommandSource"/> with a stream on its standard input (a restore command fed the stored dump); its output goes to the log.</summary>
internal static class CommandInput
{
    /// <summary>Returns the exit code; a command that stops reading early is not an error by itself, its exit code decides.</summary>
    public static async Task<int> RunAsync(CommandSource source, Stream input, Action<string> log, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(source.CommandLine);
        using var process = Process.Start(psi) ?? throw new CommandSourceFailedException($"the restore command {source.Name} could not be started.");
        var stdout = PumpAsync(process.StandardOutput, source.Name, log);
        var stderr = PumpAsync(process.StandardError, source.Name, log);
        try
        {
            var stdin = process.StandardInput.BaseStream;
            try
            {
                await input.CopyToAsync(stdin, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The command closed its input (broken pipe): its exit code says whether that was right.
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }

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

    private static async Task PumpAsync(StreamReader reader, string name, Action<string> log)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log($"  {name} | {line}");
        }
    }
}
