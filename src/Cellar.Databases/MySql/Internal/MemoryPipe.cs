using System.Threading.Channels;

namespace Cellar.Databases.MySql.Internal;

/// <summary>An in-process pipe: what the writer stream gets, the reader stream returns; bounded so a fast writer waits.</summary>
internal sealed class MemoryPipe
{
    private readonly Channel<byte[]> _channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true });

    public MemoryPipe()
    {
        Writer = new PipeWriterStream(this);
        Reader = new PipeReaderStream(this);
    }

    public Stream Writer { get; }

    public Stream Reader { get; }

    /// <summary>Stops the writer (its next write throws) when the reading side has failed.</summary>
    public void Fail(Exception error) => _channel.Writer.TryComplete(error);

    private sealed class PipeWriterStream(MemoryPipe pipe) : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0)
            {
                await pipe._channel.Writer.WriteAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            pipe._channel.Writer.TryComplete();
            base.Dispose(disposing);
        }
    }

    private sealed class PipeReaderStream(MemoryPipe pipe) : Stream
    {
        private byte[] _current = [];
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_offset == _current.Length)
            {
                if (!await pipe._channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                if (pipe._channel.Reader.TryRead(out var next))
                {
                    _current = next;
                    _offset = 0;
                }
            }

            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
