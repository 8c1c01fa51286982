using System.Text.Json;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>Creates and fills repositories with the real restic binary.</summary>
internal static class ResticPeer
{
    public const string Password = "correct horse battery staple";

    public static Dictionary<string, string> Environment(string repo, string password = Password) => new()
    {
        ["RESTIC_REPOSITORY"] = repo,
        ["RESTIC_PASSWORD"] = password,
        ["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "cellar-test-restic-cache"),
    };

    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string repo, params string[] args)
    {
        var restic = ExternalTool.Require("restic");
        return await ExternalTool.RunAsync(restic, args, Environment(repo), cancellationToken: TestContext.Current.CancellationToken);
    }

    public static async Task<string> RunCheckedAsync(string repo, params string[] args)
    {
        var (code, output, error) = await RunAsync(repo, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', args)} failed ({code}): {error}");
        }

        return output;
    }

    public static Task InitAsync(string repo, int version) =>
        RunCheckedAsync(repo, "init", "--repository-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Backs up <paramref name="path"/> and returns the new snapshot's id (restic 0.14 prints a short id).</summary>
    public static async Task<string> BackupAsync(string repo, string path, params string[] extra)
    {
        var output = await RunCheckedAsync(repo, ["backup", "--json", "--host", "testhost", .. extra, path]);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("message_type", out var type) && type.GetString() == "summary")
            {
                return doc.RootElement.GetProperty("snapshot_id").GetString()!;
            }
        }

        throw new InvalidOperationException("restic backup printed no summary");
    }
}
