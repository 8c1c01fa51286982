
namespace Cellar.Repository.Chunking;

/// <summary>
/// Reads a stream and cuts it into restic-identical chunks. Bytes are read straight into the
/// chunk's own pooled buffer (no second copy except the few bytes read past a cut). Buffers are
/// sized from the expected length, so small files do not hold 8 MiB each.
/// </summary>
internal sealed class StreamChunker : IDisposable
{
    private const int ReadSize = 1024 * 1024;
    private const int MinimumBuffer = 4096;

    /// <summary>Most chunks are 0.5-2 MiB; start there and grow for the rare long one (up to 8 MiB).</summary>
    private const int TypicalBuffer = 2 * 1024 * 1024;

    private readonly SplitPointFinder _finder;
    private readonly Stream _stream;
    private long _expectedRemaining;
    private byte[]? _buffer;
    private int _filled;
    private int _scanned;
    private long _offset;
    private bool _endOfStream;

    /// <param name="polynomial">The repository's chunker polynomial.</param>
    /// <param name="stream">What to cut; read sequentially, not disposed here.</param>
    /// <param name="expectedLength">The size the file had when stat-ed (a hint; growth and shrinkage are handled).</param>
    public StreamChunker(Polynomial polynomial, Stream stream, long expectedLength)
    {
        _finder = new SplitPointFinder(polynomial);
        _stream = stream;
        _expectedRemaining = Math.Max(0, expectedLength);
    }

    /// <summary>Total bytes returned in chunks so far.</summary>
    public long BytesChunked => _offset;

    /// <summary>The next chunk, or null at the end of the stream. An empty stream has no chunks.</summary>
    public async ValueTask<Chunk?> NextAsync(CancellationToken cancellationToken)
    {
        _buffer ??= Rent(0);
        while (true)
        {
            if (_scanned < _filled)
            {
                var cut = _finder.Next(_buffer.AsSpan(_scanned, _filled - _scanned));
                if (cut >= 0)
                {
                    return TakeChunk(_scanned + cut);
                }

                _scanned = _filled;
            }

            if (_endOfStream)
            {
                if (_filled == 0)
                {
                    ChunkBuffers.Pool.Return(_buffer);
                    _buffer = null;
                    return null;
                }

                return TakeChunk(_filled);
            }

            if (_filled == _buffer.Length)
            {
                Grow();
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_filled, Math.Min(ReadSize, _buffer.Length - _filled)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }
            else
            {
                _filled += read;

                // A stream longer than announced (a virtual file announces 0) must not make the
                // next buffer smaller than the bytes it has to hold.
                _expectedRemaining = Math.Max(0, _expectedRemaining - read);
            }
        }
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ChunkBuffers.Pool.Return(_buffer);
            _buffer = null;
        }
    }

    private Chunk TakeChunk(int length)
    {
        var full = _buffer!;
        var leftover = _filled - length;
        var next = Rent(leftover);
        full.AsSpan(length, leftover).CopyTo(next);
        _buffer = next;
        _filled = leftover;
        _scanned = 0;
        if (_endOfStream && leftover == 0)
        {
            _finder.Reset();
        }

        var chunk = new Chunk(full, length, _offset);
        _offset += length;
        return chunk;
    }

    private byte[] Rent(int alreadyHeld)
    {
        // Enough for what the file still holds (plus one byte to notice its end), up to one maximal chunk.
        var wanted = Math.Clamp(_expectedRemaining + alreadyHeld + 1, MinimumBuffer, TypicalBuffer);
        return ChunkBuffers.Pool.Rent(Math.Max((int)wanted, alreadyHeld + MinimumBuffer));
    }

    private void Grow()
    {
        var old = _buffer!;
        var bigger = ChunkBuffers.Pool.Rent(Math.Min(SplitPointFinder.MaxSize, Math.Max(old.Length * 2, MinimumBuffer)));
        old.AsSpan(0, _filled).CopyTo(bigger);
        ChunkBuffers.Pool.Return(old);
        _buffer = bigger;
    }
}
