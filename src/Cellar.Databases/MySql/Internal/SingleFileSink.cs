using System.Text;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Joins the per-table streams of a parallel dump into one script: the first table to open writes
/// straight through, tables dumped meanwhile spool to temporary files and are appended when done;
/// views and triggers come last.
/// </summary>
internal sealed class SingleFileSink(Stream output) : IDumpSink, IAsyncDisposable
{
    private readonly SemaphoreSlim _output = new(1, 1);
    private readonly MemoryStream _objects = new();
    private readonly List<string> _spoolFiles = [];

    public async ValueTask WriteStartAsync(DumpHeader header, CancellationToken ct)
    {
        var sb = new StringBuilder();
        sb.Append("-- Cellar SQL dump of database ").Append(SqlText.Identifier(header.Database)).Append('\n');
        sb.Append("-- server: ").Append(header.ServerVersion).Append('\n');
        sb.Append("-- consistency: ").Append(header.GuaranteeDescription).Append('\n');
        sb.Append("-- tables: ").Append(header.Tables.Count).Append("; load with: mariadb DATABASE < FILE, or cellar db restore\n");
        sb.Append(SqlText.SessionPrelude);
        await _output.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(SqlText.Utf8(sb.ToString()), ct).ConfigureAwait(false);
        }
        finally
        {
            _output.Release();
        }
    }

    public async ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        if (name == DumpFileNames.Header)
        {
            return Stream.Null;
        }

        if (name == DumpFileNames.Objects)
        {
            return new NonClosingStream(_objects);
        }

        if (await _output.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return new DirectStream(output, _output);
        }

        var path = Path.Combine(Path.GetTempPath(), "cellar-dump-" + Guid.NewGuid().ToString("N") + ".sql");
        lock (_spoolFiles)
        {
            _spoolFiles.Add(path);
        }

        return new SpoolStream(path, this);
    }

    public async ValueTask FinishAsync(DumpSummary summary, CancellationToken ct)
    {
        await _output.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _objects.Position = 0;
            await _objects.CopyToAsync(output, ct).ConfigureAwait(false);
            await output.WriteAsync(SqlText.Utf8($"-- cellar:end {summary.Tables.Count} tables, {summary.TotalRows} rows\n"), ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _output.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_spoolFiles)
        {
            foreach (var file in _spoolFiles)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                }
            }
        }

        _output.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask AppendAsync(string path)
    {
        await _output.WaitAsync().ConfigureAwait(false);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await file.CopyToAsync(output).ConfigureAwait(false);
        }
        finally
        {
            _output.Release();
        }
    }

    /// <summary>Writes to the output while holding it; releases it when disposed.</summary>
    private sealed class DirectStream(Stream inner, SemaphoreSlim owner) : WriteOnlyStream
    {
        private bool _released;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask DisposeAsync()
        {
            Release();
            return ValueTask.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            Release();
            base.Dispose(disposing);
        }

        private void Release()
        {
            if (!_released)
            {
                _released = true;
                owner.Release();
            }
        }
    }

    /// <summary>Writes to a temporary file; appends it to the output when disposed.</summary>
    private sealed class SpoolStream(string path, SingleFileSink sink) : WriteOnlyStream
    {
        private readonly FileStream _file = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        private bool _done;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _file.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _file.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

        public override async ValueTask DisposeAsync()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            await _file.DisposeAsync().ConfigureAwait(false);
            await sink.AppendAsync(path).ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            base.Dispose(disposing);
        }
    }
}
