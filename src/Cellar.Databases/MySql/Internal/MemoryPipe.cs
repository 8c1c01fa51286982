using System.Buffers;
using System.IO.Pipelines;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// An in-process pipe over <see cref="Pipe"/>: what the writer stream gets, the reader stream
/// returns; bounded (about 4 MiB in flight) so a fast writer waits. Both ends are asynchronous only:
/// their synchronous Read/Write throw instead of blocking a thread on the other side.
/// </summary>
internal sealed class MemoryPipe
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
    private Exception? _readerFailure;

    public MemoryPipe()
    {
        Writer = new PipeWriterStream(this);
        Reader = new PipeReaderStream(_pipe.Reader);
    }

    public Stream Writer { get; }

    public Stream Reader { get; }

    /// <summary>Stops the writer (its next write throws <paramref name="error"/>) when the reading side has failed.</summary>
    public void Fail(Exception error)
    {
        Volatile.Write(ref _readerFailure, error);
        _pipe.Reader.Complete(error);
    }

    private sealed class PipeWriterStream(MemoryPipe owner) : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The in-memory pipe is written asynchronously only (WriteAsync).");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length == 0)
            {
                return;
            }

            var result = await owner._pipe.Writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted && Volatile.Read(ref owner._readerFailure) is { } failure)
            {
                throw failure;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask DisposeAsync()
        {
            await owner._pipe.Writer.CompleteAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner._pipe.Writer.Complete();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class PipeReaderStream(PipeReader reader) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The in-memory pipe is read asynchronously only (ReadAsync).");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length == 0)
            {
                return 0;
            }

            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var available = result.Buffer;
                if (available.Length > 0)
                {
                    var n = (int)Math.Min(buffer.Length, available.Length);
                    var taken = available.Slice(0, n);
                    taken.CopyTo(buffer.Span);
                    reader.AdvanceTo(taken.End);
                    return n;
                }

                reader.AdvanceTo(available.End);
                if (result.IsCompleted)
                {
                    return 0;
                }
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reader.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
