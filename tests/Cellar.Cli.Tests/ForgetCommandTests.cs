using System.Text.Json;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar forget</c> on repositories restic made; restic must agree on what is left.</summary>
public sealed class ForgetCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-forget");

    public void Dispose() => _temp.Dispose();

    private async Task<ResticRepositoryMaker> MakeRepositoryAsync(params (DateTime Time, string Host, string[] Tags)[] snapshots)
    {
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "file.txt"), "hello", TestContext.Current.CancellationToken);
        var maker = new ResticRepositoryMaker(_temp.Combine("repo"));
        await maker.InitAsync();
        foreach (var (time, host, tags) in snapshots)
        {
            await maker.BackupAsync(source, time, host, tags);
        }

        return maker;
    }

    private static readonly DateTime Day = new(2024, 3, 1, 12, 0, 0);

    [Fact]
    public async Task Keep_last_removes_older_snapshots_and_restic_agrees()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []), (Day.AddDays(2), "web", []), (Day.AddDays(3), "web", []));
        var before = await maker.SnapshotsAsync();

        var (code, output, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "2");

        code.ShouldBe(0, error);
        output.ShouldContain("Applying Policy: keep 2 latest snapshots");
        output.ShouldContain("keep 2 snapshots:");
        output.ShouldContain("remove 2 snapshots:");
        output.ShouldContain("last snapshot");
        var after = await maker.SnapshotsAsync();
        after.Select(s => s.Id).ShouldBe(before.Skip(2).Select(s => s.Id));
        Directory.GetFiles(_temp.Combine("repo", "locks")).ShouldBeEmpty();
        (await maker.RunAsync("check")).ShouldContain("no errors were found");
    }

    [Fact]
    public async Task Dry_run_removes_nothing_and_names_what_it_would_remove()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []), (Day.AddDays(2), "web", []));
        var before = await maker.SnapshotsAsync();

        var (code, output, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-daily", "1", "--dry-run");

        code.ShouldBe(0, error);
        output.ShouldContain("Would have removed the following snapshots:");
        output.ShouldContain(before[0].Id[..8]);
        output.ShouldContain(before[1].Id[..8]);
        (await maker.SnapshotsAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Policy_applies_per_host_and_json_reports_each_group()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []), (Day, "db", []), (Day.AddDays(1), "db", []), (Day.AddDays(2), "db", []));

        var (code, output, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "--json", "forget", "--keep-last", "1");

        code.ShouldBe(0, error);
        using var doc = JsonDocument.Parse(output);
        var groups = doc.RootElement.EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("host").GetString()).ShouldBe(["db", "web"]);
        groups[0].GetProperty("keep").GetArrayLength().ShouldBe(1);
        groups[0].GetProperty("remove").GetArrayLength().ShouldBe(2);
        groups[0].GetProperty("reasons")[0].GetProperty("matches")[0].GetString().ShouldBe("last snapshot");
        var left = await maker.SnapshotsAsync();
        left.Select(s => (s.Host, s.Time.LocalDateTime)).OrderBy(x => x.Host).ShouldBe([("db", Day.AddDays(2)), ("web", Day.AddDays(1))]);
    }

    [Fact]
    public async Task Keep_tag_keeps_tagged_snapshots_of_every_age()
    {
        var maker = await MakeRepositoryAsync((Day, "web", ["monthly"]), (Day.AddDays(1), "web", []), (Day.AddDays(2), "web", []));

        var (code, _, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-tag", "monthly", "--keep-last", "1");

        code.ShouldBe(0, error);
        var left = await maker.SnapshotsAsync();
        left.Select(s => s.Time.LocalDateTime).ShouldBe([Day, Day.AddDays(2)]);
    }

    [Fact]
    public async Task Named_snapshots_are_removed()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []));
        var before = await maker.SnapshotsAsync();

        var (code, _, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", before[0].Id[..10]);

        code.ShouldBe(0, error);
        (await maker.SnapshotsAsync()).Select(s => s.Id).ShouldBe([before[1].Id]);
    }

    [Fact]
    public async Task No_policy_and_no_ids_is_refused_and_removes_nothing()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []));

        var (code, _, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget");

        code.ShouldBe(2);
        error.ShouldContain("no policy was specified");
        (await maker.SnapshotsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Forget_refuses_while_restic_holds_a_lock_and_removes_nothing()
    {
        var maker = await MakeRepositoryAsync((Day, "web", []), (Day.AddDays(1), "web", []));
        // restic backup --stdin holds its lock while it waits for input.
        var psi = new System.Diagnostics.ProcessStartInfo(ExternalTool.Require("restic")) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "backup", "--stdin", "--stdin-filename", "x" })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in maker.Environment)
        {
            psi.Environment[key] = value;
        }

        using var restic = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var locks = _temp.Combine("repo", "locks");
            while (Directory.GetFiles(locks).Length == 0)
            {
                restic.HasExited.ShouldBeFalse("restic backup --stdin ended before taking its lock");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            var (code, _, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "1");

            code.ShouldBe(11);
            error.ShouldContain("The repository is in use");
            (await maker.RunAsync("--no-lock", "snapshots", "--json")).ShouldNotBeNullOrWhiteSpace();
        }
        finally
        {
            restic.StandardInput.Close();
            await restic.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        (await maker.SnapshotsAsync()).Count(s => s.Host == "web").ShouldBe(2);
    }

    [Theory]
    [InlineData("--keep-last", "-1", "use 'unlimited'")]
    [InlineData("--keep-daily", "many", "needs a number")]
    [InlineData("--keep-within", "3w", "unknown unit")]
    public async Task Bad_policy_values_are_usage_errors(string option, string value, string message)
    {
        var (code, _, error) = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = _temp.Combine("none"), ["CELLAR_PASSWORD"] = "x" }, "forget", option, value);
        code.ShouldBe(2);
        error.ShouldContain(message);
    }
}
