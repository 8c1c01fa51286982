using System.Diagnostics;

namespace Cellar.Cells.Installation;

/// <summary>
/// The standard output of a running <see cref="CommandSource"/>, read as the content of a snapshot
/// file. Its standard error goes to the log line by line. At the end of the output the process is
/// awaited: a non-zero exit throws <see cref="CommandSourceFailedException"/>, which fails the whole
/// backup (a partial dump must never be stored as if it were whole). Disposing before the end kills it.
/// </summary>
internal sealed class CommandOutputStream : Stream
{
    private readonly CommandSource _source;
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task _stderr;
    private readonly Action<CommandSource, long, int> _finished;
    private long _bytes;
    private bool _ended;

    private CommandOutputStream(CommandSource source, Process process, Action<string> log, Action<CommandSource, long, int> finished)
    {
        _source = source;
        _process = process;
        _finished = finished;
        _stdout = process.StandardOutput.BaseStream;
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                log($"  {source.Name} | {line}");
            }
        });
    }

    /// <summary>Starts the command; <paramref name="finished"/> receives its byte count and exit code once its output has been read whole.</summary>
    public static CommandOutputStream Start(CommandSource source, Action<string> log, Action<CommandSource, long, int> finished)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(source.CommandLine);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CommandSourceFailedException($"the dump command {source.Name} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandSourceFailedException($"the dump command {source.Name} could not be started ({ex.Message}); no snapshot was saved.");
        }

        process.StandardInput.Close();
        return new CommandOutputStream(source, process, log, finished);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _bytes; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return 0;
        }

        var read = await _stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            _bytes += read;
            return read;
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        _ended = true;
        _finished(_source, _bytes, _process.ExitCode);
        if (_process.ExitCode != 0)
        {
            throw new CommandSourceFailedException(
                $"the dump command {_source.Name} ('{_source.CommandLine}') exited with code {_process.ExitCode} after {_bytes} bytes, so no snapshot was saved; " +
                "run the command by hand to see why, fix it, then run the backup again.");
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_ended)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }

            _process.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
