using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// Paths as restic stores them, judged side by side with the real restic on one repository:
/// restic 0.14 (archiver.resolveRelativeTargets, pathComponents, restic.NewSnapshot) records every
/// given path made absolute in <c>paths</c>, but places a relative one relative to the snapshot
/// root (<c>.</c> by its contents), and an absolute one at its absolute path.
/// </summary>
public sealed class BackupPathsTests : IDisposable
{
    private const string Password = "paths-test";
    private readonly TempDirectory _temp = new("cellar-paths");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string[], string> Cases => new()
    {
        { ["."], "work" },
        { ["sub/dir"], "work" },
        { ["sub/dir", "top.txt"], "work" },
        { ["../work/sub"], "work" },
        { [".."], "work/sub" },
        { ["ABS"], "work" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Backup_stores_the_same_paths_and_tree_as_restic(string[] paths, string workingDir)
    {
        var repo = _temp.Combine("repo");
        var work = _temp.Combine("work");
        Directory.CreateDirectory(Path.Combine(work, "sub", "dir"));
        Directory.CreateDirectory(Path.Combine(work, "other"));
        await File.WriteAllTextAsync(Path.Combine(work, "sub", "dir", "f.txt"), "deep", Token);
        await File.WriteAllTextAsync(Path.Combine(work, "sub", "s.txt"), "middle", Token);
        await File.WriteAllTextAsync(Path.Combine(work, "top.txt"), "top", Token);
        await File.WriteAllTextAsync(Path.Combine(work, ".hidden"), "hidden", Token);
        await File.WriteAllTextAsync(Path.Combine(work, "other", "g.txt"), "other", Token);
        var cwd = _temp.Combine(workingDir);
        var args = paths.Select(p => p == "ABS" ? Path.Combine(work, "other") : p).ToArray();

        var restic = new ResticRunner(repo, Password);
        await restic.InitAsync(cancellationToken: Token);
        var resticId = await restic.BackupAsync(args, ["--host", "h"], cwd, Token);
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        var cellar = await CliHarness.RunInAsync(cwd, env, ["-r", repo, "backup", "--host", "h", "--force", .. args]);
        cellar.ExitCode.ShouldBe(0, cellar.Error);

        var snapshots = await restic.SnapshotsAsync(Token);
        snapshots.Count.ShouldBe(2);
        var ours = snapshots.Single(s => s.Id != resticId);
        var theirs = snapshots.Single(s => s.Id == resticId);
        ours.Paths.ShouldBe(theirs.Paths);
        (await restic.RunAsync(["ls", ours.Id], cancellationToken: Token)).Split('\n').Skip(1)
            .ShouldBe((await restic.RunAsync(["ls", theirs.Id], cancellationToken: Token)).Split('\n').Skip(1));
        await restic.CheckAsync(cancellationToken: Token);

        // And cellar's own listing shows restic's paths.
        var listed = await CliHarness.RunAsync(env, "-r", repo, "snapshots", "--json");
        listed.ExitCode.ShouldBe(0, listed.Error);
        using var json = System.Text.Json.JsonDocument.Parse(listed.Out);
        json.RootElement.EnumerateArray().Select(s => s.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).ToList())
            .ShouldAllBe(p => p.SequenceEqual(theirs.Paths));
    }
}
