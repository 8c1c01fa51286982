using System.CommandLine;
using System.Globalization;
using Cellar.Cells.History;
using Cellar.Cells.Monitoring;
using Cellar.Cli.Repositories;
using Cellar.Repository.Locking;

namespace Cellar.Cli.Monitoring;

/// <summary>
/// <c>backup --ping-url URL --metrics-file PATH</c>: wraps a backup run with healthchecks-style
/// pings and a Prometheus textfile, both from what the run did and what the repository holds.
/// </summary>
internal sealed class BackupNotifications
{
    private const int TailLines = 20;

    public Option<string?> PingUrl { get; } = new("--ping-url") { Description = "Ping URL/start when the backup starts, URL when it succeeds, URL/fail with the last lines of output when it fails (healthchecks.io style)" };
    public Option<string?> MetricsFile { get; } = new("--metrics-file") { Description = "Write the run's figures to this file in Prometheus text format (node_exporter textfile collector), atomically" };

    public void AddTo(Command command)
    {
        command.Options.Add(PingUrl);
        command.Options.Add(MetricsFile);
    }

    public async Task<int> RunAsync(CommandContext context, Func<CommandContext, Task<int>> body)
    {
        var url = context.Get(PingUrl);
        var metricsPath = context.Get(MetricsFile) is { } m ? Path.GetFullPath(m, context.Environment.CurrentDirectory) : null;
        if (url is null && metricsPath is null)
        {
            return await body(context).ConfigureAwait(false);
        }

        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new UserException($"--ping-url must be an http:// or https:// URL, not '{url}'.", ExitCodes.Usage);
        }

        var env = context.Environment;
        var tail = new OutputTail(TailLines);
        var watched = context.With(new CliEnvironment { Out = tail.Wrap(env.Out), Error = tail.Wrap(env.Error), GetVariable = env.GetVariable, IsTerminal = env.IsTerminal, CurrentDirectory = env.CurrentDirectory });
        using var ping = url is null ? null : new HealthPing(url);
        var started = DateTimeOffset.UtcNow;
        await WarnAsync(context, ping is null ? null : await ping.StartAsync(context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

        int exitCode;
        try
        {
            exitCode = await body(watched).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            tail.Add("cellar: interrupted");
            exitCode = ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ErrorReporter.TryDescribe(ex, out var message, out var code))
        {
            await env.Error.WriteLineAsync("cellar: " + message).ConfigureAwait(false);
            tail.Add("cellar: " + message);
            exitCode = code;
        }

        // The notifications still go out when the run was interrupted.
        using var finishing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var history = await ReadHistoryAsync(context, started, finishing.Token).ConfigureAwait(false);
        var backup = exitCode is ExitCodes.Success or ExitCodes.Incomplete ? history?.LatestSince(started.AddSeconds(-2)) : null;
        if (metricsPath is not null)
        {
            var previous = SafeRead(metricsPath);
            var now = DateTimeOffset.UtcNow;
            var lastDrill = history?.Drills.LastOrDefault();
            Cells.Monitoring.MetricsFile.Write(metricsPath, new BackupMetrics
            {
                LastRun = now,
                ExitCode = exitCode,
                LastSuccess = exitCode == ExitCodes.Success ? now : previous?.LastSuccess,
                DurationSeconds = backup?.DurationSeconds ?? (now - started).TotalSeconds,
                BytesAdded = backup?.BytesAdded,
                Files = backup?.Files,
                DowntimeSeconds = backup?.DowntimeSeconds,
                LastDrill = lastDrill?.Time ?? previous?.LastDrill,
                LastDrillPassed = lastDrill?.Passed ?? previous?.LastDrillPassed,
                LastDrillRecoverSeconds = lastDrill is null ? previous?.LastDrillRecoverSeconds : lastDrill.RecoverSeconds,
            });
        }

        if (ping is not null)
        {
            var result = exitCode == ExitCodes.Success
                ? await ping.SuccessAsync(Describe(backup, exitCode), finishing.Token).ConfigureAwait(false)
                : await ping.FailAsync($"cellar backup exited with code {exitCode}\n{tail.Text}\n", finishing.Token).ConfigureAwait(false);
            await WarnAsync(context, result).ConfigureAwait(false);
        }

        return exitCode;
    }

    private static string Describe(BackupRecord? backup, int exitCode) => backup is null
        ? $"cellar backup exited with code {exitCode}\n"
        : string.Create(CultureInfo.InvariantCulture, $"snapshot {backup.Id}: {backup.Files} files, {backup.BytesAdded} bytes added, {backup.DurationSeconds:0.0} s, downtime {backup.DowntimeSeconds ?? 0:0.0} s\n");

    private static BackupMetrics? SafeRead(string path)
    {
        try
        {
            return Cells.Monitoring.MetricsFile.Read(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The repository's history since the run started, or null when it cannot be read (the run's own error says why).</summary>
    private static async Task<RepositoryHistory?> ReadHistoryAsync(CommandContext context, DateTimeOffset started, CancellationToken cancellationToken)
    {
        try
        {
            // A quick look after the run, without a lock, as before: a lock held by another process must not delay the pings.
            await using var repository = await RepositoryOpener.OpenAsync(context.With(cancellationToken: cancellationToken), lockMode: LockMode.None).ConfigureAwait(false);
            return await RepositoryHistory.ReadAsync(repository, DateTimeOffset.UtcNow, cancellationToken, backupsSince: started.AddSeconds(-2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static async Task WarnAsync(CommandContext context, string? problem)
    {
        if (problem is not null)
        {
            await context.Error.WriteLineAsync("cellar: warning: " + problem + " (the backup itself is not affected).").ConfigureAwait(false);
        }
    }
}
