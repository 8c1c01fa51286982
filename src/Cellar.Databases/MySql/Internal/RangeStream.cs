using Microsoft.Win32.SafeHandles;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Reads a byte range of a file on its own handle (one section of a single-file dump), by offset
/// (<see cref="RandomAccess"/>): synchronous reads are plain reads, asynchronous ones truly asynchronous.
/// </summary>
internal sealed class RangeStream : Stream
{
    private readonly SafeFileHandle _file;
    private long _position;
    private long _remaining;

    public RangeStream(string path, long start, long length)
    {
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        _position = start;
        _remaining = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        return Advance(RandomAccess.Read(_file, buffer[..(int)Math.Min(buffer.Length, _remaining)], _position));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        return Advance(await RandomAccess.ReadAsync(_file, buffer[..(int)Math.Min(buffer.Length, _remaining)], _position, cancellationToken).ConfigureAwait(false));
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
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Advance(int read)
    {
        _position += read;
        _remaining -= read;
        return read;
    }
}
