using Cellar.Cells.Monitoring;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar schedule install|status|remove</c>, judged by systemd's own unit checker.</summary>
public sealed class ScheduleCommandTests
{
    private const string Secret = "s3cret-never-in-a-unit";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (TempDirectory Temp, Dictionary<string, string> Env, string Cellar, string Units, string Metrics) Setup()
    {
        var temp = new TempDirectory("cellar-schedule");
        var passwordFile = temp.Combine("password");
        File.WriteAllText(passwordFile, Secret + "\n");
        // systemd-analyze verify checks that ExecStart's program exists and is executable.
        var cellar = temp.Combine("bin", "cellar");
        Directory.CreateDirectory(Path.GetDirectoryName(cellar)!);
        File.WriteAllText(cellar, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cellar, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD_FILE"] = passwordFile, ["CELLAR_REPOSITORY"] = temp.Combine("repo with space") };
        return (temp, env, cellar, temp.Combine("units"), temp.Combine("metrics", "cellar.prom"));
    }

    [Fact]
    public async Task Install_writes_a_service_and_timer_that_systemd_analyze_verify_accepts_and_that_name_the_password_file_never_the_password()
    {
        var (temp, env, cellar, units, metrics) = Setup();
        using var _ = temp;
        var install = await CliHarness.RunAsync(env, "schedule", "--unit-dir", units, "install", "--at", "02:30", "--keep-daily", "7", "--keep-weekly", "4",
            "--systemd-unit", "cells", "--drill", "weekly", "--ping-url", "http://127.0.0.1:9/ping/abc", "--metrics-file", metrics, "--cellar", cellar);
        install.ExitCode.ShouldBe(0, install.Error);

        var files = Directory.GetFiles(units).Select(Path.GetFileName).Order().ToList();
        files.ShouldBe(["cellar-backup.service", "cellar-backup.timer", "cellar-drill.service", "cellar-drill.timer"]);
        foreach (var file in Directory.GetFiles(units))
        {
            File.ReadAllText(file).ShouldNotContain(Secret);
        }

        var service = File.ReadAllText(Path.Combine(units, "cellar-backup.service"));
        service.ShouldContain($"Environment=CELLAR_PASSWORD_FILE={temp.Combine("password")}");
        service.ShouldContain($"Environment=\"CELLAR_REPOSITORY={temp.Combine("repo with space")}\"");
        service.ShouldContain($"ExecStart={cellar} backup --systemd-unit cells --metrics-file {metrics} --ping-url http://127.0.0.1:9/ping/abc");
        service.ShouldContain($"ExecStartPost={cellar} forget --tag cells --keep-daily 7 --keep-weekly 4 --prune");
        File.ReadAllText(Path.Combine(units, "cellar-backup.timer")).ShouldContain("OnCalendar=*-*-* 02:30:00");
        File.ReadAllText(Path.Combine(units, "cellar-drill.timer")).ShouldContain("OnCalendar=Sun *-*-* 04:30:00");

        // The judge: systemd's own parser (Debian 'systemd'), on the files as written.
        var analyze = ExternalTool.Find("systemd-analyze");
        if (analyze is null)
        {
            Assert.Skip("systemd-analyze (Debian 'systemd') is not installed; .ci/run installs it.");
        }

        var verify = await ExternalTool.RunAsync(analyze, ["verify", "--man=no", .. Directory.GetFiles(units).Order()], cancellationToken: Token);
        verify.ExitCode.ShouldBe(0, verify.Error + verify.Out);
        (verify.Error + verify.Out).ShouldNotContain("cellar-", customMessage: "systemd-analyze complained about our units");
        var calendar = await ExternalTool.RunAsync(analyze, ["calendar", "*-*-* 02:30:00"], cancellationToken: Token);
        calendar.ExitCode.ShouldBe(0, calendar.Error);
    }

    [Fact]
    public async Task Status_shows_the_next_run_the_last_run_and_its_result_and_remove_takes_the_units_away()
    {
        var (temp, env, cellar, units, metrics) = Setup();
        using var _ = temp;
        (await CliHarness.RunAsync(env, "schedule", "install", "--unit-dir", units, "--at", "23:59", "--hot", "--metrics-file", metrics, "--cellar", cellar)).ExitCode.ShouldBe(0);

        var before = await CliHarness.RunAsync(env, "schedule", "status", "--unit-dir", units);
        before.ExitCode.ShouldBe(0, before.Error);
        before.Out.ShouldContain("daily at 23:59");
        before.Out.ShouldContain("last run:     none yet");
        var next = DateTimeOffset.Now.ToLocalTime();
        next = new DateTimeOffset(next.Date.AddHours(23).AddMinutes(59), next.Offset);
        if (next <= DateTimeOffset.Now)
        {
            next = next.AddDays(1);
        }

        before.Out.ShouldContain("next run:     " + next.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        var success = DateTimeOffset.UtcNow.AddHours(-25);
        MetricsFile.Write(metrics, new BackupMetrics { LastRun = DateTimeOffset.UtcNow.AddMinutes(-5), ExitCode = 3, LastSuccess = success, DurationSeconds = 12 });
        var after = await CliHarness.RunAsync(env, "schedule", "status", "--unit-dir", units);
        after.ExitCode.ShouldBe(3, after.Out + after.Error);
        after.Out.ShouldContain("INCOMPLETE (exit code 3)");
        after.Out.ShouldContain("last success: " + success.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        var remove = await CliHarness.RunAsync(env, "schedule", "remove", "--unit-dir", units);
        remove.ExitCode.ShouldBe(0, remove.Error);
        Directory.GetFiles(units).ShouldBeEmpty();
        (await CliHarness.RunAsync(env, "schedule", "status", "--unit-dir", units)).Error.ShouldContain("no Cellar schedule is installed");
    }

    [Fact]
    public async Task Install_refuses_without_a_password_file_and_prints_a_cron_entry_on_request()
    {
        var (temp, env, cellar, units, metrics) = Setup();
        using var _ = temp;
        var noFile = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Secret, ["CELLAR_REPOSITORY"] = temp.Combine("repo") },
            "schedule", "install", "--unit-dir", units, "--cellar", cellar);
        noFile.ExitCode.ShouldBe(2);
        noFile.Error.ShouldContain("--password-file");
        Directory.Exists(units).ShouldBeFalse();

        var cron = await CliHarness.RunAsync(env, "schedule", "install", "--cron", "--at", "3:05", "--keep-last", "10", "--stop-command", "docker stop cells",
            "--start-command", "docker start cells", "--metrics-file", metrics, "--cellar", cellar);
        cron.ExitCode.ShouldBe(0, cron.Error);
        cron.Out.ShouldContain($"5 3 * * * root CELLAR_REPOSITORY='{temp.Combine("repo with space")}' CELLAR_PASSWORD_FILE={temp.Combine("password")} {cellar} backup --stop-command 'docker stop cells' --start-command 'docker start cells'");
        cron.Out.ShouldContain($"&& {cellar} forget --tag cells --keep-last 10 --prune");
        cron.Out.ShouldNotContain(Secret);
        Directory.Exists(units).ShouldBeFalse();
    }
}
