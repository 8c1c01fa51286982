using System.Globalization;
using System.Text.Json;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>Makes repositories with the real restic (local or S3) holding snapshots at chosen times.</summary>
/// <remarks>With <c>readOnly</c>, restic runs with --no-lock and --no-cache (it only reads).</remarks>
internal sealed class ResticRepositoryMaker(string repository, IReadOnlyDictionary<string, string>? extraEnvironment = null, bool readOnly = false)
{
    public const string Password = "forget-test-password";

    public Dictionary<string, string> Environment
    {
        get
        {
            var env = new Dictionary<string, string>(extraEnvironment ?? new Dictionary<string, string>())
            {
                ["RESTIC_REPOSITORY"] = repository,
                ["RESTIC_PASSWORD"] = Password,
                ["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "cellar-test-restic-cache"),
            };
            return env;
        }
    }

    /// <summary>What the in-process CLI needs to open the same repository.</summary>
    public Dictionary<string, string> CellarEnvironment
    {
        get
        {
            var env = new Dictionary<string, string>(extraEnvironment ?? new Dictionary<string, string>())
            {
                ["CELLAR_REPOSITORY"] = repository,
                ["CELLAR_PASSWORD"] = Password,
            };
            return env;
        }
    }

    public async Task<string> RunAsync(params string[] args)
    {
        string[] all = readOnly ? ["--no-lock", "--no-cache", .. args] : args;
        var (code, output, error) = await ExternalTool.RunAsync(ExternalTool.Require("restic"), all, Environment, cancellationToken: TestContext.Current.CancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', args)} failed ({code}): {error}");
        }

        return output;
    }

    public Task InitAsync() => RunAsync("init", "--repository-version", "2");

    /// <summary>Backs up <paramref name="path"/> as if at <paramref name="time"/> (local time, restic's --time format).</summary>
    public Task BackupAsync(string path, DateTime time, string host = "cellhost", params string[] tags) =>
        RunAsync(["backup", "--host", host, "--time", time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), .. tags.SelectMany(t => new[] { "--tag", t }), path]);

    /// <summary>restic's view of the snapshots: (full id, time, host, tags), oldest first.</summary>
    public async Task<List<(string Id, DateTimeOffset Time, string Host, string[] Tags)>> SnapshotsAsync()
    {
        using var doc = JsonDocument.Parse(await RunAsync("snapshots", "--json"));
        return doc.RootElement.EnumerateArray()
            .Select(s => (
                s.GetProperty("id").GetString()!,
                DateTimeOffset.Parse(s.GetProperty("time").GetString()!, CultureInfo.InvariantCulture),
                s.GetProperty("hostname").GetString()!,
                s.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : []))
            .OrderBy(s => s.Item2)
            .ToList();
    }
}
