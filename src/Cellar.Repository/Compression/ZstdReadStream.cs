using ZstdNet;

namespace Cellar.Repository.Compression;

/// <summary>
/// The decompressed bytes of a zstd frame held in memory, read in chunks (the whole output is never
/// allocated); damaged data surfaces as <see cref="RepositoryCorruptException"/>.
/// </summary>
internal sealed class ZstdReadStream(byte[] compressed, int offset) : Stream
{
    private readonly DecompressionStream _inner = new(new MemoryStream(compressed, offset, compressed.Length - offset, writable: false));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _inner.Read(buffer, offset, count);
        }
        catch (ZstdException ex)
        {
            throw new RepositoryCorruptException($"zstd data is damaged: {ex.Message}", ex);
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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
