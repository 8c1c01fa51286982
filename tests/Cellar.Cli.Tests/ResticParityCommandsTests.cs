using System.Text.Json;
using System.Text.Json.Nodes;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// <c>find</c>, <c>diff</c>, <c>stats</c>, <c>tag</c> and <c>copy</c> judged by the real restic (0.14)
/// on the same repository: the same output, byte for byte, where restic's output is deterministic.
/// restic 0.14 lists <c>find</c>'s snapshots in the order its parallel loader happens to finish;
/// Cellar prints newest first, so find is compared snapshot by snapshot.
/// </summary>
public sealed class ResticParityCommandsTests : IDisposable
{
    private readonly TempDirectory _root = new("cellar-parity");
    private readonly ResticRepositoryMaker _restic;
    private readonly string _data;

    public ResticParityCommandsTests()
    {
        _restic = new ResticRepositoryMaker(_root.Combine("repo"));
        _data = _root.Combine("d");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Diff_prints_the_same_changes_and_totals_as_restic_in_text_json_and_with_metadata()
    {
        var (first, second, _) = await ThreeSnapshotsAsync();

        foreach (var args in new[]
                 {
                     new[] { "diff", first, second },
                     ["diff", "--json", first, second],
                     ["diff", "--metadata", first, second],
                     ["diff", second, first],
                 })
        {
            var expected = await _restic.RunAsync(args);
            var (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, args);
            code.ShouldBe(0, error);
            output.ShouldBe(expected, string.Join(' ', args));
        }

        // restic 0.17's SNAPSHOT:FOLDER form (0.14 lacks it): paths are relative to the folder.
        var (subCode, subOutput, subError) = await CliHarness.RunAsync(_restic.CellarEnvironment, "diff", first + ":" + _data + "/sub", second + ":" + _data + "/sub");
        subCode.ShouldBe(0, subError);
        subOutput.ShouldContain("-    /b.txt");
        subOutput.ShouldContain("+    /c.txt");
        subOutput.ShouldNotContain("a.txt");

        // The case that matters: M, T, + and - all occur.
        var text = await _restic.RunAsync("diff", first, second);
        text.ShouldContain($"M    {_data}/a.txt");
        text.ShouldContain($"T    {_data}/kind");
        text.ShouldContain($"-    {_data}/sub/b.txt");
        text.ShouldContain($"+    {_data}/e/");
    }

    [Theory]
    [InlineData("a.txt")]
    [InlineData("su*")]
    [InlineData("-l", "*.txt")]
    [InlineData("--json", "sub")]
    [InlineData("-i", "A.TXT")]
    [InlineData("/**/d/e")]
    [InlineData("nothing-matches")]
    [InlineData("--json", "nothing-matches")]
    public async Task Find_lists_the_same_entries_per_snapshot_as_restic(params string[] args)
    {
        await ThreeSnapshotsAsync();
        string[] all = ["find", .. args];

        var expected = await _restic.RunAsync(all);
        var (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, all);

        code.ShouldBe(0, error);
        if (args.Contains("--json"))
        {
            Blocks(JsonNode.Parse(output)!.AsArray()).ShouldBe(Blocks(JsonNode.Parse(expected)!.AsArray()));
        }
        else
        {
            TextBlocks(output).ShouldBe(TextBlocks(expected));
        }
    }

    [Theory]
    [InlineData("restore-size")]
    [InlineData("files-by-contents")]
    [InlineData("blobs-per-file")]
    [InlineData("raw-data")]
    public async Task Stats_counts_and_prints_as_restic_in_every_mode(string mode)
    {
        var (first, _, _) = await ThreeSnapshotsAsync();

        foreach (var args in new[]
                 {
                     new[] { "stats", "--mode", mode },
                     ["stats", "--mode", mode, "--json"],
                     ["stats", "--mode", mode, "latest"],
                     ["stats", "--mode", mode, "--json", first],
                 })
        {
            var expected = await _restic.RunAsync(args);
            var (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, args);
            code.ShouldBe(0, error);
            output.ShouldBe(expected, string.Join(' ', args));
        }
    }

    [Fact]
    public async Task Tag_rewrites_the_snapshot_as_restic_does_keeping_the_first_id_in_original()
    {
        var (first, _, _) = await ThreeSnapshotsAsync();
        var firstFull = (await _restic.SnapshotsAsync())[0].Id;

        var (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "--add", "x,y", "--add", "z", first);
        code.ShouldBe(0, error);
        output.ShouldContain("modified tags on 1 snapshots");
        var tagged = await ResticSnapshotAsync(s => s["original"]?.GetValue<string>() == firstFull);
        Tags(tagged).ShouldBe(["x", "y", "z"]);
        tagged["id"]!.GetValue<string>().ShouldNotBe(firstFull);

        // Again by its new id: the original stays the first id; removing and setting as restic does.
        var newId = tagged["id"]!.GetValue<string>();
        (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "--remove", "x", newId[..8]);
        code.ShouldBe(0, error);
        tagged = await ResticSnapshotAsync(s => s["original"]?.GetValue<string>() == firstFull);
        Tags(tagged).ShouldBe(["y", "z"]);
        (code, output, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "--add", "y", tagged["id"]!.GetValue<string>());
        output.ShouldContain("no snapshots were modified");
        (code, _, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "--set", "", "--tag", "y");
        code.ShouldBe(0, error);
        tagged = await ResticSnapshotAsync(s => s["original"]?.GetValue<string>() == firstFull);
        tagged["tags"].ShouldBeNull();
        (await _restic.RunAsync("snapshots", "--json")).ShouldNotContain(newId);
        (await _restic.RunAsync("check")).ShouldContain("no errors were found");

        (code, _, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "--set", "a", "--add", "b");
        code.ShouldBe(2, error);
        error.ShouldContain("cannot be given at the same time");
        (code, _, error) = await CliHarness.RunAsync(_restic.CellarEnvironment, "tag", "latest");
        code.ShouldBe(2, error);
    }

    [Fact]
    public async Task Copy_puts_snapshots_into_a_second_repository_that_restic_checks_with_read_data_and_never_copies_one_twice()
    {
        await ThreeSnapshotsAsync();
        var target = new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = _root.Combine("second"), ["CELLAR_PASSWORD"] = "other password" };
        var (code, output, error) = await CliHarness.RunAsync(target, "init");
        code.ShouldBe(0, error);
        var passwordFile = _root.Combine("source.password");
        await File.WriteAllTextAsync(passwordFile, ResticRepositoryMaker.Password + "\n");

        // The source password from a file (CELLAR_FROM_PASSWORD_FILE, as restic's RESTIC_FROM_PASSWORD_FILE).
        var withFile = new Dictionary<string, string>(target) { ["CELLAR_FROM_PASSWORD_FILE"] = passwordFile };
        (code, output, error) = await CliHarness.RunAsync(withFile, "copy", "--from-repo", _root.Combine("repo"), "latest");
        code.ShouldBe(0, output + error);
        output.ShouldContain("copied 1 snapshots");

        // Then all, the source password from a command: the one already there is skipped.
        (code, output, error) = await CliHarness.RunAsync(target, "copy", "--from-repo", _root.Combine("repo"), "--from-password-command", $"cat '{passwordFile}'");
        code.ShouldBe(0, output + error);
        output.ShouldContain("copied 2 snapshots");
        output.ShouldContain("skipped 1 already copied");
        (code, output, error) = await CliHarness.RunAsync(withFile, "copy", "--from-repo", _root.Combine("repo"));
        code.ShouldBe(0, output + error);
        output.ShouldContain("copied 0 snapshots");

        var second = new ResticRunner(_root.Combine("second"), "other password");
        var check = await second.RunAsync(["check", "--read-data"]);
        check.ShouldContain("no errors were found");
        var source = await _restic.SnapshotsAsync();
        using var copies = JsonDocument.Parse(await second.RunAsync(["snapshots", "--json"]));
        var copied = copies.RootElement.EnumerateArray().ToList();
        copied.Count.ShouldBe(source.Count);
        copied.Select(c => c.GetProperty("original").GetString()).Order().ShouldBe(source.Select(s => s.Id).Order());
        copied.Count(c => c.TryGetProperty("parent", out var parent)).ShouldBe(0);

        // The copy restores to the same bytes as the source.
        var restored = _root.Combine("restored");
        await second.RunAsync(["restore", "latest", "--target", restored]);
        // restic 0.14 keeps an absolute backup path whole in the snapshot.
        TreeComparer.AssertEqual(_data, Path.Combine(restored, _data.TrimStart('/')), new TreeComparisonOptions());
    }

    [Fact]
    public async Task Copy_without_a_source_password_says_how_to_give_one()
    {
        await ThreeSnapshotsAsync();
        var target = new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = _root.Combine("second"), ["CELLAR_PASSWORD"] = "pw" };
        await CliHarness.RunAsync(target, "init");

        var (code, _, error) = await CliHarness.RunAsync(target, "copy", "--from-repo", _root.Combine("repo"));

        code.ShouldBe(1);
        error.ShouldContain("--from-password-file");
        error.ShouldContain("CELLAR_FROM_PASSWORD");
    }

    /// <summary>Three restic snapshots of d/: then a content change, a type change, a removal, additions and a chmod; then nothing.</summary>
    private async Task<(string First, string Second, string Third)> ThreeSnapshotsAsync()
    {
        Directory.CreateDirectory(Path.Combine(_data, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_data, "a.txt"), "hello");
        await File.WriteAllTextAsync(Path.Combine(_data, "sub", "b.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(_data, "kind"), "a file first");
        await File.WriteAllTextAsync(Path.Combine(_data, "same.txt"), "never changes");
        await File.WriteAllBytesAsync(Path.Combine(_data, "big.bin"), Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7 % 251)).ToArray());
        File.CreateSymbolicLink(Path.Combine(_data, "link"), "a.txt");
        await _restic.InitAsync();
        await _restic.RunAsync("backup", "--host", "h", _data);

        await File.WriteAllTextAsync(Path.Combine(_data, "a.txt"), "changed");
        File.Delete(Path.Combine(_data, "sub", "b.txt"));
        await File.WriteAllTextAsync(Path.Combine(_data, "sub", "c.txt"), "new");
        Directory.CreateDirectory(Path.Combine(_data, "e", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(_data, "e", "deeper", "f.txt"), "f");
        File.Delete(Path.Combine(_data, "kind"));
        File.CreateSymbolicLink(Path.Combine(_data, "kind"), "same.txt");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_data, "same.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await _restic.RunAsync("backup", "--host", "h", _data);
        await _restic.RunAsync("backup", "--host", "h", _data);
        var ids = (await _restic.SnapshotsAsync()).Select(s => s.Id[..8]).ToList();
        return (ids[0], ids[1], ids[2]);
    }

    private async Task<JsonNode> ResticSnapshotAsync(Func<JsonNode, bool> which) =>
        JsonNode.Parse(await _restic.RunAsync("snapshots", "--json"))!.AsArray().Select(n => n!).Single(which);

    private static List<string> Tags(JsonNode snapshot) => snapshot["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();

    /// <summary>find --json blocks keyed by snapshot, each block's matches as written.</summary>
    private static List<string> Blocks(JsonArray array) =>
        array.Select(b => b!["snapshot"]!.GetValue<string>() + " " + b["hits"] + " " + b["matches"]!.ToJsonString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>find's text output split into its per-snapshot blocks.</summary>
    private static List<string> TextBlocks(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(b => b.TrimEnd('\n')).Order(StringComparer.Ordinal).ToList();
}
