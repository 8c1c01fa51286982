using System.Diagnostics;
using Xunit;

namespace Cellar.Testing.Bolt;

/// <summary>
/// A real BoltDB writer for tests: a small Go program built (once per machine, cached) against
/// Debian's bbolt sources. It can commit without pause while holding bbolt's flock, create files of
/// a given shape, and run the library's own <c>Tx.Check</c>. Tests skip when go or the sources are absent.
/// </summary>
public static class BoltWriter
{
    private const string BboltSources = "/usr/share/gocode";
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static string? built;

    /// <summary>The built program's path; skips the calling test when go or bbolt's sources are missing.</summary>
    public static async Task<string> RequireAsync(CancellationToken cancellationToken = default)
    {
        await BuildLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return built ??= await BuildAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            BuildLock.Release();
        }
    }

    /// <summary>Creates a BoltDB file of a shape (small, nested, inline, overflow, large) and waits for the writer to exit.</summary>
    public static async Task CreateAsync(string path, string shape, CancellationToken cancellationToken = default)
    {
        var program = await RequireAsync(cancellationToken).ConfigureAwait(false);
        var (code, output, error) = await ExternalTool.RunAsync(program, ["create", path, shape], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"boltwriter create failed ({code}): {output}{error}");
        }
    }

    /// <summary>
    /// The reference library's verdict: true when bbolt opens the file, Tx.Check reports nothing, and
    /// every key the library lists is found again by the library's own lookup (Tx.Check alone misses
    /// torn copies whose leaves hold keys from a later transaction under an earlier branch).
    /// </summary>
    public static async Task<(bool Sound, string Output)> CheckAsync(string path, CancellationToken cancellationToken = default)
    {
        var program = await RequireAsync(cancellationToken).ConfigureAwait(false);
        var (code, output, error) = await ExternalTool.RunAsync(program, ["check", path], cancellationToken: cancellationToken).ConfigureAwait(false);
        return (code == 0, (output + error).Trim());
    }

    /// <summary>Starts a writer that holds the file's flock and commits until disposed; returns once it has committed.</summary>
    public static async Task<RunningBoltWriter> StartAsync(string path, CancellationToken cancellationToken = default)
    {
        var program = await RequireAsync(cancellationToken).ConfigureAwait(false);
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("write");
        psi.ArgumentList.Add(path);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start boltwriter");
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line != "ready")
        {
            var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            process.Dispose();
            throw new InvalidOperationException($"boltwriter did not start: {line} {error}");
        }

        return new RunningBoltWriter(process);
    }

    private static async Task<string> BuildAsync(CancellationToken cancellationToken)
    {
        var go = ExternalTool.Find("go");
        if (go is null || !Directory.Exists(Path.Combine(BboltSources, "src", "go.etcd.io", "bbolt")))
        {
            Assert.Skip("go and bbolt's sources (Debian: golang-go golang-github-coreos-bbolt-dev) are needed to build the BoltDB test writer.");
        }

        using var stream = typeof(BoltWriter).Assembly.GetManifestResourceStream("boltwriter.go")
            ?? throw new InvalidOperationException("boltwriter.go is not embedded in Cellar.Testing");
        using var reader = new StreamReader(stream);
        var source = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), $"cellar-boltwriter-{Environment.UserName}-{hash}");
        var binary = Path.Combine(dir, "boltwriter");
        if (File.Exists(binary))
        {
            return binary;
        }

        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "boltwriter.go"), source, cancellationToken).ConfigureAwait(false);
        var temp = binary + "." + Environment.ProcessId;
        var env = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = Path.Combine(dir, "gopath") + ":" + BboltSources,
            ["GOCACHE"] = Path.Combine(dir, "cache"),
            ["GOFLAGS"] = "",
            ["CGO_ENABLED"] = "0",
        };
        var (code, output, error) = await ExternalTool.RunAsync(go, ["build", "-o", temp, "boltwriter.go"], env, dir, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"building the BoltDB test writer failed: {output}{error}");
        }

        File.Move(temp, binary, overwrite: true);
        return binary;
    }
}
