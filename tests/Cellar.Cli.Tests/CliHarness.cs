using System.Diagnostics;

namespace Cellar.Cli.Tests;

/// <summary>
/// Runs the whole CLI and captures what it prints: in-process by default, or as a child process
/// of the published program named by <c>CELLAR_TEST_PROGRAM</c> (e.g. the Native AOT build), so
/// the same tests check the binary users install.
/// </summary>
internal static class CliHarness
{
    /// <summary>The published <c>cellar</c> program the tests run instead of the in-process CLI, if any.</summary>
    public static string? Program { get; } = Environment.GetEnvironmentVariable("CELLAR_TEST_PROGRAM") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static Task<(int ExitCode, string Out, string Error)> RunAsync(IDictionary<string, string>? env, params string[] args) =>
        RunInAsync(Environment.CurrentDirectory, env, args);

    /// <summary>Runs the CLI as if started in <paramref name="currentDirectory"/> (relative paths start there).</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunInAsync(string currentDirectory, IDictionary<string, string>? env, params string[] args)
    {
        if (Program is not null)
        {
            return await RunProgramAsync(Program, currentDirectory, env, args);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            IsTerminal = false,
            CurrentDirectory = currentDirectory,
            GetVariable = name => env is not null && env.TryGetValue(name, out var value) ? value : null,
        };
        var exitCode = await CliApp.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    // The child sees what the in-process CLI sees: the given variables, plus the few the runtime
    // itself reads from the process (tool lookup, home and temp folders).
    private static async Task<(int ExitCode, string Out, string Error)> RunProgramAsync(string program, string currentDirectory, IDictionary<string, string>? env, string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = currentDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } inherited)
            {
                psi.Environment[name] = inherited;
            }
        }

        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
