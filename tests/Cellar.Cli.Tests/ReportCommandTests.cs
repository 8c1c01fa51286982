using System.Text.RegularExpressions;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar report --html</c>, rendered by a real browser (headless Chromium).</summary>
public sealed partial class ReportCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_html_report_renders_in_headless_chromium_with_its_charts_drills_and_warnings()
    {
        using var temp = new TempDirectory("cellar-report");
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "pw" };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);
        for (var round = 0; round < 4; round++)
        {
            File.WriteAllBytes(Path.Combine(source, $"part{round}.bin"), Enumerable.Range(0, 200_000 * (round + 1)).Select(i => unchecked((byte)(i * 7 + round))).ToArray());
            var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", "--host", "cells-host", source);
            backup.ExitCode.ShouldBe(0, backup.Error);
        }

        // Drill records as 'cellar drill' saves them: a small snapshot tagged cellar-drill, drilled=ID, passed|failed, recover=SECONDSs.
        var drillDir = temp.Combine("drill");
        Directory.CreateDirectory(drillDir);
        File.WriteAllText(Path.Combine(drillDir, "report.json"), "{}");
        (await CliHarness.RunAsync(env, "-r", repo, "backup", "--tag", "cellar-drill,drilled=0123abcd,passed,recover=42.5s", drillDir)).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync(env, "-r", repo, "backup", "--tag", "cellar-drill,drilled=89abcdef,failed,recover=7.0s", drillDir)).ExitCode.ShouldBe(0);

        var html = temp.Combine("report.html");
        var report = await CliHarness.RunAsync(env, "-r", repo, "report", "--html", html);
        report.ExitCode.ShouldBe(0, report.Error);
        report.Out.ShouldContain("4 backup(s), 2 drill(s)");
        var page = File.ReadAllText(html);
        page.ShouldNotContain("<script");
        page.ShouldNotContain("http://", customMessage: "nothing may be fetched at view time");
        page.ShouldNotContain("https://");

        var chromium = ExternalTool.Find("chromium") ?? ExternalTool.Find("chromium-browser");
        if (chromium is null)
        {
            Assert.Skip("headless Chromium (Debian 'chromium') is not installed; .ci/run installs it. The report was written but not rendered.");
        }

        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + temp.Combine("chromium-profile")];
        var dump = await ExternalTool.RunAsync(chromium, [.. common, "--dump-dom", new Uri(html).AbsoluteUri], cancellationToken: Token);
        dump.ExitCode.ShouldBe(0, dump.Error);
        var dom = dump.Out;
        foreach (var heading in new[] { "Warnings", "Backups over time", "Recovery drills", "Retention", "Every backup" })
        {
            dom.ShouldContain(heading);
        }

        dom.ShouldContain("FAILED for snapshot 89abcdef");
        dom.ShouldContain("42.5 s");
        dom.ShouldContain("cells-host");
        foreach (var chart in new[] { "chart-size", "chart-dedup", "chart-time", "chart-drills" })
        {
            var figure = Figure().Matches(dom).Single(m => m.Groups[1].Value == chart).Value;
            figure.ShouldContain("<svg", customMessage: chart + " drew no SVG");
            (figure.Contains("<rect", StringComparison.Ordinal) || figure.Contains("<polyline", StringComparison.Ordinal)).ShouldBeTrue(chart + " drew no marks");
        }

        Regex.Matches(Figure().Matches(dom).Single(m => m.Groups[1].Value == "chart-size").Value, "<rect class=\"bar\"").Count.ShouldBe(4);

        var screenshot = Path.Combine(Path.GetTempPath(), "cellar-report-screenshot.png");
        File.Delete(screenshot);
        var shot = await ExternalTool.RunAsync(chromium, [.. common, "--screenshot=" + screenshot, "--window-size=1000,1800", new Uri(html).AbsoluteUri], cancellationToken: Token);
        shot.ExitCode.ShouldBe(0, shot.Error);
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000);
        TestContext.Current.TestOutputHelper?.WriteLine("screenshot: " + screenshot);
    }

    [GeneratedRegex("<figure class=\"chart\" id=\"([a-z-]+)\">.*?</figure>", RegexOptions.Singleline)]
    private static partial Regex Figure();
}
