using System.Text.Json;

namespace Cellar.Testing;

/// <summary>
/// Runs the real <c>restic</c> binary against one repository (password in RESTIC_PASSWORD, no
/// cache, so tampered repositories are read afresh). Every call fails with restic's stderr when
/// restic exits non-zero, unless the caller asks for the raw result.
/// </summary>
public sealed class ResticRunner
{
    public ResticRunner(string repository, string password = "geheim")
    {
        Repository = repository;
        Password = password;
    }

    /// <summary>The restic program (a test requirement; .ci/run installs it).</summary>
    public static string Binary => ExternalTool.Require("restic");

    public string Repository { get; }

    public string Password { get; }

    /// <summary>Environment variables restic runs with (RESTIC_REPOSITORY, RESTIC_PASSWORD, ...); add to it freely.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>Runs restic with the given arguments and returns the raw result, whatever the exit code.</summary>
    public Task<(int ExitCode, string Out, string Error)> TryRunAsync(IEnumerable<string> args, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var env = new Dictionary<string, string>(Environment)
        {
            ["RESTIC_REPOSITORY"] = Repository,
            ["RESTIC_PASSWORD"] = Password,
            ["RESTIC_PROGRESS_FPS"] = "0.1",
        };
        return ExternalTool.RunAsync(Binary, ["--no-cache", .. args], env, workingDirectory, cancellationToken: cancellationToken);
    }

    /// <summary>Runs restic and returns its stdout; throws with stderr when it fails.</summary>
    public async Task<string> RunAsync(IEnumerable<string> args, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var argList = args.ToList();
        var (code, output, error) = await TryRunAsync(argList, workingDirectory, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', argList)} failed with exit code {code}:\n{error}\n{output}");
        }

        return output;
    }

    /// <summary><c>restic init</c> (format version 2 unless another is given).</summary>
    public Task InitAsync(int formatVersion = 2, CancellationToken cancellationToken = default) =>
        RunAsync(["init", "--repository-version", formatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken: cancellationToken);

    /// <summary>
    /// <c>restic backup</c> of paths (relative paths resolve against <paramref name="workingDirectory"/>);
    /// returns the new snapshot's full id (restic 0.14 prints only the short one).
    /// </summary>
    public async Task<string> BackupAsync(IEnumerable<string> paths, IEnumerable<string>? extraArgs = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(["backup", "--json", .. extraArgs ?? [], .. paths], workingDirectory, cancellationToken).ConfigureAwait(false);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("message_type", out var type) && type.GetString() == "summary" &&
                doc.RootElement.TryGetProperty("snapshot_id", out var id))
            {
                var shortId = id.GetString()!;
                var snapshots = await SnapshotsAsync(cancellationToken).ConfigureAwait(false);
                return snapshots.Single(s => s.Id.StartsWith(shortId, StringComparison.Ordinal)).Id;
            }
        }

        throw new InvalidOperationException("restic backup printed no summary with a snapshot id:\n" + output);
    }

    /// <summary>
    /// Backs up the contents of one directory so that they sit at the snapshot's root
    /// (runs <c>restic backup .</c> inside it); returns the snapshot id.
    /// </summary>
    public Task<string> BackupDirectoryContentsAsync(string directory, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default) =>
        BackupAsync(["."], extraArgs, directory, cancellationToken);

    /// <summary><c>restic restore SNAPSHOT --target DIR</c> plus extra arguments (e.g. --include).</summary>
    public Task RestoreAsync(string snapshot, string target, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default) =>
        RunAsync(["restore", snapshot, "--target", target, .. extraArgs ?? []], cancellationToken: cancellationToken);

    /// <summary><c>restic check</c> (with --read-data when asked); throws with the report when it finds errors.</summary>
    public Task<string> CheckAsync(bool readData = false, CancellationToken cancellationToken = default) =>
        RunAsync(readData ? ["check", "--read-data"] : ["check"], cancellationToken: cancellationToken);

    /// <summary><c>restic snapshots --json</c>, parsed.</summary>
    public async Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(["snapshots", "--json"], cancellationToken: cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(output);
        var result = new List<ResticSnapshot>();
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            result.Add(new ResticSnapshot(
                item.GetProperty("id").GetString()!,
                item.GetProperty("short_id").GetString() ?? "",
                item.GetProperty("time").GetString()!,
                item.GetProperty("tree").GetString()!,
                item.TryGetProperty("hostname", out var host) ? host.GetString() ?? "" : "",
                item.TryGetProperty("paths", out var paths) ? paths.EnumerateArray().Select(p => p.GetString()!).ToList() : [],
                item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString()!).ToList() : []));
        }

        return result;
    }
}
