using Microsoft.Win32.SafeHandles;

namespace Cellar.Storage.S3;

/// <summary>
/// The first <c>length</c> bytes of an open local file as a read-only, seekable stream of positioned
/// reads (the file's own offset is untouched and the handle is not closed), so an upload can be
/// sent with a known Content-Length and rewound by the SDK.
/// </summary>
internal sealed class FileSliceStream(SafeFileHandle file, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        if (want == 0)
        {
            return 0;
        }

        var read = RandomAccess.Read(file, buffer[..want], _position);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        if (want == 0)
        {
            return 0;
        }

        var read = await RandomAccess.ReadAsync(file, buffer[..want], _position, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
