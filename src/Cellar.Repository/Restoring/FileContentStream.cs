using System.Buffers;
using Cellar.Repository.Index;

namespace Cellar.Repository.Restoring;

/// <summary>
/// One file's content as a forward-only stream (see <see cref="Restorer.OpenFile"/>). The file's
/// blobs are cut, in file order, into pack ranges of consecutive blobs lying one after the other in
/// one pack (as a backup writes them); up to <c>readAhead</c> ranges are read and decoded ahead of
/// the reader, each once, into pooled buffers. Reads are asynchronous only: there is no blocking
/// wait on the repository behind a synchronous <see cref="Read(byte[], int, int)"/>.
/// </summary>
internal sealed class FileContentStream : Stream
{
    private readonly Repository _repository;
    private readonly IReadOnlyList<Id> _content;
    private readonly int _maxRange;
    private readonly int _readAhead;
    private readonly Queue<Task<DecodedRange>> _ahead = new();
    private readonly CancellationTokenSource _stop = new();
    private int _next;
    private DecodedRange? _current;
    private int _segment;
    private int _offset;
    private bool _disposed;

    public FileContentStream(Repository repository, IReadOnlyList<Id> content, int maxRange, int readAhead)
    {
        _repository = repository;
        _content = content;
        _maxRange = maxRange;
        _readAhead = Math.Max(1, readAhead);
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_current is { } range && _segment < range.Segments.Count)
            {
                var segment = range.Segments[_segment];
                if (segment.IsEmpty)
                {
                    _segment++;
                    continue;
                }

                var count = Math.Min(buffer.Length, segment.Length - _offset);
                segment.Slice(_offset, count).Span.CopyTo(buffer.Span);
                _offset += count;
                if (_offset == segment.Length)
                {
                    _segment++;
                    _offset = 0;
                }

                return count;
            }

            _current?.Return();
            _current = null;
            Fill();
            if (!_ahead.TryDequeue(out var next))
            {
                return 0;
            }

            Fill();
            _current = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            _segment = 0;
            _offset = 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("a file read from the repository is read asynchronously (ReadAsync or CopyToAsync).");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _stop.CancelAsync().ConfigureAwait(false);
            while (_ahead.TryDequeue(out var pending))
            {
                try
                {
                    (await pending.ConfigureAwait(false)).Return();
                }
                catch (Exception)
                {
                    // Nobody reads it any more.
                }
            }

            _current?.Return();
            _current = null;
            _stop.Dispose();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            // Reads still under way end on the cancellation; their pooled buffers are left to the collector.
            _disposed = true;
            _stop.Cancel();
            _ahead.Clear();
            _current?.Return();
            _current = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Starts reading ranges until <c>readAhead</c> are under way or the file's blobs are all planned.</summary>
    private void Fill()
    {
        while (_ahead.Count < _readAhead && _next < _content.Count)
        {
            _ahead.Enqueue(NextRange() is { } range
                ? Task.Run(() => ReadAsync(range, _stop.Token))
                : Task.FromException<DecodedRange>(new RepositoryCorruptException($"data blob {_content[_next++]} is not in the index")));
        }
    }

    /// <summary>The next run of the file's blobs that lie one after the other in one pack (at most the range size, gaps up to 1 MiB read over); null when the next blob is not in the index.</summary>
    private List<PackedBlob>? NextRange()
    {
        if (!_repository.Index.TryLookup(_content[_next], BlobType.Data, out var first))
        {
            return null;
        }

        var blobs = new List<PackedBlob> { first };
        _next++;
        while (_next < _content.Count
               && _repository.Index.TryLookup(_content[_next], BlobType.Data, out var blob)
               && blob.PackId == first.PackId
               && blob.Offset >= blobs[^1].End
               && blob.Offset - blobs[^1].End <= 1024 * 1024
               && blob.End - first.Offset <= _maxRange)
        {
            blobs.Add(blob);
            _next++;
        }

        return blobs;
    }

    private async Task<DecodedRange> ReadAsync(List<PackedBlob> blobs, CancellationToken cancellationToken)
    {
        var offset = blobs[0].Offset;
        var length = checked((int)(blobs[^1].End - offset));
        var stored = ArrayPool<byte>.Shared.Rent(length);
        var range = new DecodedRange(stored);
        try
        {
            await PackRange.ReadAsync(_repository.Backend, blobs[0].PackId, offset, stored.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            foreach (var blob in blobs)
            {
                // A compressed blob is decompressed into a buffer of its own, kept with the range; the others are decrypted where they lie.
                var plaintext = blob.IsCompressed ? range.Rent(blob.PlaintextLength) : null;
                var decoded = InPlaceBlobDecoder.Decode(_repository.Key, blob, stored.AsSpan(0, length), offset, ref plaintext).Length;
                range.Segments.Add(blob.IsCompressed ? plaintext.AsMemory(0, decoded) : stored.AsMemory((int)(blob.Offset - offset), decoded));
            }

            return range;
        }
        catch
        {
            range.Return();
            throw;
        }
    }

    /// <summary>A range's plaintext, blob by blob in file order: slices of the stored bytes (decrypted in place) or of decompression buffers.</summary>
    private sealed class DecodedRange(byte[] stored)
    {
        private readonly List<byte[]> _rented = [stored];

        public List<ReadOnlyMemory<byte>> Segments { get; } = [];

        public byte[] Rent(int length)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            _rented.Add(buffer);
            return buffer;
        }

        public void Return()
        {
            foreach (var buffer in _rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _rented.Clear();
        }
    }
}
