using System.Collections.Concurrent;
using System.Net;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>backup --ping-url</c> against a real HTTP listener, and <c>--metrics-file</c> read as Prometheus text.</summary>
public sealed class BackupNotificationsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>An HTTP server on 127.0.0.1 that records each request's path and body.</summary>
    private sealed class PingListener : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public PingListener()
        {
            var port = 0;
            for (var attempt = 0; ; attempt++)
            {
                port = Random.Shared.Next(20000, 60000);
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                }
            }

            Url = $"http://127.0.0.1:{port}/ping/4f1c";
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    using var reader = new StreamReader(context.Request.InputStream);
                    Received.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, await reader.ReadToEndAsync()));
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public ConcurrentQueue<(string Method, string Path, string Body)> Received { get; } = new();

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5)); // the loop ends once the listener is closed
        }
    }

    [Fact]
    public async Task A_good_backup_pings_start_then_success_and_writes_metrics_that_parse_as_prometheus_text()
    {
        using var temp = new TempDirectory("cellar-notify");
        using var listener = new PingListener();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(Path.Combine(source, $"f{i}.txt"), new string((char)('a' + i), 10_000 + i));
        }

        var metrics = temp.Combine("textfile", "cellar.prom");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "pw" };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", "--ping-url", listener.Url, "--metrics-file", metrics, source);
        backup.ExitCode.ShouldBe(0, backup.Error);

        listener.Received.Select(r => r.Path).ShouldBe(["/ping/4f1c/start", "/ping/4f1c"]);
        listener.Received.Last().Body.ShouldContain("5 files");

        var text = File.ReadAllText(metrics);
        var samples = PrometheusText.Parse(text);
        samples["cellar_backup_exit_code"].ShouldBe(0);
        samples["cellar_backup_files"].ShouldBe(5);
        samples["cellar_backup_bytes_added"].ShouldBeInRange(5 * 10_000 + 10, 5 * 10_000 + 10 + 4096); // the files, and the tree blob that lists them
        samples["cellar_backup_duration_seconds"].ShouldBeGreaterThan(0);
        samples["cellar_backup_last_success_timestamp_seconds"].ShouldBeGreaterThanOrEqualTo(before);
        samples.ShouldNotContainKey("cellar_backup_downtime_seconds"); // a plain backup stops nothing: not known, not 0
        Directory.GetFiles(Path.GetDirectoryName(metrics)!).ShouldBe([metrics]); // no temp file left beside it

        if (ExternalTool.Find("promtool") is { } promtool)
        {
            var check = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: text, cancellationToken: Token);
            check.ExitCode.ShouldBe(0, check.Out + check.Error);
        }
    }

    [Fact]
    public async Task A_failed_backup_pings_fail_with_the_last_lines_of_output_and_keeps_the_last_success_time()
    {
        using var temp = new TempDirectory("cellar-notify-fail");
        using var listener = new PingListener();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "hello");
        var metrics = temp.Combine("cellar.prom");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "pw" };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync(env, "-r", repo, "backup", "--metrics-file", metrics, source)).ExitCode.ShouldBe(0);
        var success = PrometheusText.Parse(File.ReadAllText(metrics))["cellar_backup_last_success_timestamp_seconds"];

        var wrong = await CliHarness.RunAsync(new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "not the password" },
            "-r", repo, "backup", "--ping-url", listener.Url, "--metrics-file", metrics, source);
        wrong.ExitCode.ShouldNotBe(0, wrong.Error); // 12 once the wrong-password exit code lands; 1 before

        listener.Received.Select(r => r.Path).ShouldBe(["/ping/4f1c/start", "/ping/4f1c/fail"]);
        var body = listener.Received.Last().Body;
        body.ShouldContain($"exited with code {wrong.ExitCode}");
        body.ShouldContain(wrong.Error.Trim().Split('\n').Last()); // the very line the user saw

        var samples = PrometheusText.Parse(File.ReadAllText(metrics));
        samples["cellar_backup_exit_code"].ShouldBe(wrong.ExitCode);
        samples["cellar_backup_last_success_timestamp_seconds"].ShouldBe(success);
        samples.ShouldNotContainKey("cellar_backup_files");
    }

    [Fact]
    public async Task An_unreachable_ping_url_is_a_warning_not_a_failed_backup()
    {
        using var temp = new TempDirectory("cellar-notify-down");
        var repo = temp.Combine("repo");
        Directory.CreateDirectory(temp.Combine("source"));
        File.WriteAllText(temp.Combine("source", "a"), "x");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = "pw" };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);
        var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", "--ping-url", "http://127.0.0.1:9/nobody", temp.Combine("source"));
        backup.ExitCode.ShouldBe(0, backup.Error);
        backup.Error.ShouldContain("warning: the ping to http://127.0.0.1:9/nobody/start failed");
    }
}
