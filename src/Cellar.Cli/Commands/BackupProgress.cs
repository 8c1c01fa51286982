using System.Diagnostics;
using System.Globalization;
using Cellar.Cells;
using Cellar.Repository.Archiving;
using Cellar.Repository.Json;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary>
/// What <c>backup</c> shows while it runs and when it ends: a status line on a terminal (or,
/// with --json, restic's <c>status</c> lines), each warning, and the summary (text or restic's
/// <c>summary</c> message).
/// </summary>
internal sealed class BackupProgress : IAsyncDisposable
{
    private readonly CommandContext _context;
    private readonly BackupJob _job;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _outputLock = new();
    private readonly Task _ticker;
    private bool _statusShown;

    public BackupProgress(CommandContext context, BackupJob job)
    {
        _context = context;
        _job = job;
        job.Warning += OnWarning;
        job.ParentChosen += OnParent;
        var live = context.Json || (context.Environment.IsTerminal && !context.Quiet);
        _ticker = live ? Task.Run(TickAsync) : Task.CompletedTask;
    }

    public async Task FinishAsync(BackupResult result)
    {
        await StopAsync().ConfigureAwait(false);
        var s = result.Statistics;
        var elapsed = _clock.Elapsed;
        if (_context.Json)
        {
            var w = new GoJsonWriter();
            w.StartObject();
            w.Name("message_type"); w.String("summary");
            w.Name("files_new"); w.Number(s.FilesNew);
            w.Name("files_changed"); w.Number(s.FilesChanged);
            w.Name("files_unmodified"); w.Number(s.FilesUnmodified);
            w.Name("dirs_new"); w.Number(s.DirsNew);
            w.Name("dirs_changed"); w.Number(s.DirsChanged);
            w.Name("dirs_unmodified"); w.Number(s.DirsUnmodified);
            w.Name("data_blobs"); w.Number(result.DataBlobsAdded);
            w.Name("tree_blobs"); w.Number(result.TreeBlobsAdded);
            w.Name("data_added"); w.Number(result.DataAdded);
            w.Name("data_added_packed"); w.Number(result.DataAddedPacked);
            w.Name("total_files_processed"); w.Number(s.FilesProcessed);
            w.Name("total_bytes_processed"); w.Number(s.BytesProcessed);
            w.Name("total_duration"); w.RawJson(System.Text.Encoding.ASCII.GetBytes(elapsed.TotalSeconds.ToString("0.0########", CultureInfo.InvariantCulture)));
            w.Name("snapshot_id"); w.String(result.SnapshotId.ToString());
            w.EndObject();
            await _context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
            return;
        }

        var o = _context.Out;
        if (!_context.Quiet)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync($"Files:       {s.FilesNew,5} new, {s.FilesChanged,5} changed, {s.FilesUnmodified,5} unmodified").ConfigureAwait(false);
            await o.WriteLineAsync($"Dirs:        {s.DirsNew,5} new, {s.DirsChanged,5} changed, {s.DirsUnmodified,5} unmodified").ConfigureAwait(false);
            await o.WriteLineAsync($"Added to the repository: {ByteSize.Format(result.DataAdded)} ({ByteSize.Format(result.DataAddedPacked)} stored)").ConfigureAwait(false);
            await o.WriteLineAsync().ConfigureAwait(false);
            await o.WriteLineAsync($"processed {s.FilesProcessed} files, {ByteSize.Format(s.BytesProcessed)} in {Duration(elapsed)}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"snapshot {result.SnapshotId.ToShortString()} saved").ConfigureAwait(false);
        if (result.Warnings > 0)
        {
            await _context.Error.WriteLineAsync($"Warning: {result.Warnings} file(s) could not be saved as they were (see above); the snapshot is incomplete.").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _ticker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_outputLock)
        {
            if (_statusShown && !_context.Json)
            {
                _context.Error.Write("\r\u001b[2K");
                _statusShown = false;
            }
        }
    }

    private async Task TickAsync()
    {
        var interval = _context.Json ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(250);
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            WriteStatus();
        }
    }

    private void WriteStatus()
    {
        var s = _job.Statistics;
        if (s is null)
        {
            return;
        }

        var added = _job.DataAdded;
        lock (_outputLock)
        {
            if (_context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("message_type"); w.String("status");
                w.Name("seconds_elapsed"); w.Number((long)_clock.Elapsed.TotalSeconds);
                w.Name("percent_done"); w.Number(0);
                w.Name("files_done"); w.Number(s.FilesProcessed);
                w.Name("bytes_done"); w.Number(s.BytesProcessed);
                w.Name("error_count"); w.Number(s.Errors);
                w.EndObject();
                _context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(w.WrittenSpan));
            }
            else
            {
                _context.Error.Write($"\r\u001b[2K[{Duration(_clock.Elapsed)}] {s.FilesProcessed} files {ByteSize.Format(s.BytesProcessed)}, {ByteSize.Format(added)} new, {s.Errors} errors");
                _statusShown = true;
            }
        }
    }

    private void OnParent(Snapshot? parent)
    {
        if (_context.Json || _context.Quiet)
        {
            return;
        }

        lock (_outputLock)
        {
            _context.Out.WriteLine(parent is null ? "no parent snapshot found, will read all files" : $"using parent snapshot {parent.Id.ToShortString()}");
        }
    }

    private void OnWarning(BackupWarning warning)
    {
        lock (_outputLock)
        {
            if (_context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("message_type"); w.String("error");
                w.Name("error"); w.StartObject(); w.Name("message"); w.String(warning.Message); w.EndObject();
                w.Name("during"); w.String("archival");
                w.Name("item"); w.String(warning.Path);
                w.EndObject();
                _context.Error.WriteLine(System.Text.Encoding.UTF8.GetString(w.WrittenSpan));
            }
            else
            {
                if (_statusShown)
                {
                    _context.Error.Write("\r\u001b[2K");
                }

                _context.Error.WriteLine($"warning: {warning}");
            }
        }
    }

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
        : $"{t.Minutes}:{t.Seconds:00}";
}
