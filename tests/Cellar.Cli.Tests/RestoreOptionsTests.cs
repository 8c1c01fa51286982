using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// restic 0.17's restore options into a folder: --dry-run, --overwrite always|if-changed|if-newer|never,
/// --delete and --verify (restic 0.14, the peer installed here, has none of them: the rules are
/// restic 0.17's documented ones, doc/050_restore.rst).
/// </summary>
public sealed class RestoreOptionsTests : IDisposable
{
    private static readonly DateTime Old = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _root = new("cellar-restore-options");
    private readonly Dictionary<string, string> _env;
    private readonly string _source;

    public RestoreOptionsTests()
    {
        _source = _root.Combine("src");
        _env = new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = _root.Combine("repo"), ["CELLAR_PASSWORD"] = "pw" };
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Dry_run_lists_what_would_be_restored_updated_left_and_deleted_and_writes_nothing()
    {
        var snapshot = await BackUpAsync();
        var target = _root.Combine("target");
        Directory.CreateDirectory(Path.Combine(target, "sub"));
        await File.WriteAllTextAsync(Path.Combine(target, "a.txt"), "other");
        await File.WriteAllTextAsync(Path.Combine(target, "extra.txt"), "not in the snapshot");
        var before = Listing(target);

        var (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--dry-run", "--delete");

        code.ShouldBe(0, error);
        output.ShouldContain("updated   /a.txt");
        output.ShouldContain("restored  /sub/b.txt");
        output.ShouldContain("updated   /sub");
        output.ShouldContain("deleted   /extra.txt");
        output.ShouldContain("nothing was written");
        Listing(target).ShouldBe(before);
        (await File.ReadAllTextAsync(Path.Combine(target, "a.txt"))).ShouldBe("other");
    }

    [Fact]
    public async Task Overwrite_never_keeps_existing_files_and_verify_then_reports_the_difference()
    {
        var snapshot = await BackUpAsync();
        var target = _root.Combine("target");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "a.txt"), "mine!");

        var (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--overwrite", "never", "--verify");

        code.ShouldBe(1, output + error);
        (await File.ReadAllTextAsync(Path.Combine(target, "a.txt"))).ShouldBe("mine!");
        File.Exists(Path.Combine(target, "sub", "b.txt")).ShouldBeTrue();
        output.ShouldContain("1 left unchanged");
        error.ShouldContain("/a.txt");
        error.ShouldContain("differ");
    }

    [Fact]
    public async Task Overwrite_if_newer_replaces_only_files_older_than_the_snapshot()
    {
        var snapshot = await BackUpAsync();
        var target = _root.Combine("target");
        Directory.CreateDirectory(Path.Combine(target, "sub"));
        await File.WriteAllTextAsync(Path.Combine(target, "a.txt"), "older");
        File.SetLastWriteTimeUtc(Path.Combine(target, "a.txt"), Old.AddDays(-1));
        await File.WriteAllTextAsync(Path.Combine(target, "sub", "b.txt"), "newer");
        File.SetLastWriteTimeUtc(Path.Combine(target, "sub", "b.txt"), Old.AddDays(1));

        var (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--overwrite", "if-newer");

        code.ShouldBe(0, output + error);
        (await File.ReadAllTextAsync(Path.Combine(target, "a.txt"))).ShouldBe("hello");
        (await File.ReadAllTextAsync(Path.Combine(target, "sub", "b.txt"))).ShouldBe("newer");
    }

    [Fact]
    public async Task Overwrite_if_changed_trusts_size_and_time_and_rewrites_the_rest_while_always_rewrites_all()
    {
        var snapshot = await BackUpAsync();
        var target = _root.Combine("target");
        Directory.CreateDirectory(Path.Combine(target, "sub"));
        // Same size and time as in the snapshot: taken as up to date (restic's documented shortcut).
        await File.WriteAllTextAsync(Path.Combine(target, "a.txt"), "HELLO");
        File.SetLastWriteTimeUtc(Path.Combine(target, "a.txt"), Old);
        // Same size, another time: rewritten.
        await File.WriteAllTextAsync(Path.Combine(target, "sub", "b.txt"), "Y");

        var (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--overwrite", "if-changed");

        code.ShouldBe(0, output + error);
        (await File.ReadAllTextAsync(Path.Combine(target, "a.txt"))).ShouldBe("HELLO");
        (await File.ReadAllTextAsync(Path.Combine(target, "sub", "b.txt"))).ShouldBe("x");

        (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--verify");
        code.ShouldBe(0, output + error);
        (await File.ReadAllTextAsync(Path.Combine(target, "a.txt"))).ShouldBe("hello");
        output.ShouldContain("all equal to the snapshot");
    }

    [Fact]
    public async Task Delete_removes_what_the_snapshot_does_not_hold_so_the_target_equals_the_source()
    {
        var snapshot = await BackUpAsync();
        var target = _root.Combine("target");
        Directory.CreateDirectory(Path.Combine(target, "gone", "deep"));
        await File.WriteAllTextAsync(Path.Combine(target, "gone", "deep", "x"), "x");
        await File.WriteAllTextAsync(Path.Combine(target, "extra.txt"), "extra");
        File.CreateSymbolicLink(Path.Combine(target, "outside"), _root.Path);

        var (code, output, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", target, "--delete", "--verify");

        code.ShouldBe(0, output + error);
        output.ShouldContain("deleted 3 entries");
        TreeComparer.AssertEqual(_source, target, new TreeComparisonOptions());
        Directory.Exists(_root.Path).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_overwrite_mode_is_a_usage_error()
    {
        var snapshot = await BackUpAsync();

        var (code, _, error) = await CliHarness.RunAsync(_env, "restore", snapshot, "--target", _root.Combine("t"), "--overwrite", "sometimes");

        code.ShouldBe(2);
        error.ShouldContain("if-changed");
    }

    /// <summary>src/a.txt ("hello"), src/sub/b.txt ("x"), all dated <see cref="Old"/>; returns "ID:SRC" to restore the folder's content.</summary>
    private async Task<string> BackUpAsync()
    {
        Directory.CreateDirectory(Path.Combine(_source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_source, "a.txt"), "hello");
        await File.WriteAllTextAsync(Path.Combine(_source, "sub", "b.txt"), "x");
        foreach (var path in new[] { Path.Combine(_source, "a.txt"), Path.Combine(_source, "sub", "b.txt"), Path.Combine(_source, "sub"), _source })
        {
            File.SetLastWriteTimeUtc(path, Old);
        }

        var (code, output, error) = await CliHarness.RunAsync(_env, "init");
        code.ShouldBe(0, error);
        (code, output, error) = await CliHarness.RunAsync(_env, "backup", _source);
        code.ShouldBe(0, output + error);
        return "latest:" + _source;
    }

    private static List<string> Listing(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => p + " " + (File.Exists(p) ? File.ReadAllText(p) : "")).Order(StringComparer.Ordinal).ToList();
}
