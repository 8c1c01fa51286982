using System.Buffers;

namespace Cellar.Repository.Restoring;

/// <summary>
/// One file's content as a forward-only stream (see <see cref="Restorer.OpenFile"/>). The file's
/// distinct blobs are grouped by pack and cut into pack ranges as a tree restore cuts them; ranges
/// are read in the order the file first needs them, at most <c>readAhead</c> ahead of the reader,
/// each range once. Every blob is decoded (and hash-checked) once into a pooled buffer of its own
/// and kept until the reader has passed its last use, so blobs come out in file order whatever
/// order the backup wrote them in. Reads are asynchronous only: a synchronous
/// <see cref="Read(byte[], int, int)"/> is refused rather than blocking on the repository.
/// </summary>
internal sealed class FileContentStream : Stream
{
    private readonly ResticRepository _repository;
    private readonly IReadOnlyList<Id> _content;
    private readonly int _readAhead;
    private readonly List<PackRange> _ranges;
    private readonly Dictionary<Id, int> _uses = [];
    private readonly HashSet<Id> _missing = [];
    private readonly Dictionary<Id, DecodedBlob> _ready = [];
    private readonly Queue<Task<List<DecodedBlob>>> _ahead = new();
    private readonly CancellationTokenSource _stop = new();
    private int _nextRange;
    private int _position;
    private DecodedBlob? _current;
    private bool _returnCurrent;
    private int _offset;
    private bool _disposed;

    public FileContentStream(ResticRepository repository, IReadOnlyList<Id> content, int maxRange, int readAhead)
    {
        _repository = repository;
        _content = content;
        _readAhead = Math.Max(1, readAhead);
        var firstNeed = new Dictionary<Id, int>();
        var blobs = new List<BlobTarget>();
        for (var i = 0; i < content.Count; i++)
        {
            var id = content[i];
            if (_uses.TryGetValue(id, out var uses))
            {
                _uses[id] = uses + 1;
                continue;
            }

            _uses[id] = 1;
            firstNeed[id] = i;
            if (repository.Index.TryLookup(id, BlobType.Data, out var packed))
            {
                blobs.Add(new BlobTarget(packed));
            }
            else
            {
                _missing.Add(id);
            }
        }

        _ranges = blobs.GroupBy(b => b.Blob.PackId)
            .SelectMany(g => PackRange.Plan(g.Key, g, maxRange))
            .OrderBy(r => r.Blobs.Min(b => firstNeed[b.Blob.Id]))
            .ToList();
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
            if (_current is { } current && _offset < current.Length)
            {
                var count = Math.Min(buffer.Length, current.Length - _offset);
                current.Buffer.AsSpan(_offset, count).CopyTo(buffer.Span);
                _offset += count;
                return count;
            }

            ReleaseCurrent();
            if (_position == _content.Count)
            {
                return 0;
            }

            var id = _content[_position];
            if (_missing.Contains(id))
            {
                throw new RepositoryCorruptException($"data blob {id} is not in the index");
            }

            while (!_ready.ContainsKey(id))
            {
                Fill();
                if (!_ahead.TryDequeue(out var next))
                {
                    throw new InvalidOperationException($"data blob {id} was not planned for reading");
                }

                foreach (var blob in await next.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    _ready[blob.Id] = blob;
                }

                Fill();
            }

            _current = _ready[id];
            _offset = 0;
            _position++;
            _uses[id]--;
            if (_uses[id] == 0)
            {
                _ready.Remove(id);
                _returnCurrent = true;
            }
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
                    foreach (var blob in await pending.ConfigureAwait(false))
                    {
                        blob.Return();
                    }
                }
                catch (Exception)
                {
                    // Nobody reads it any more.
                }
            }

            ReturnAll();
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
            ReturnAll();
        }

        base.Dispose(disposing);
    }

    private void ReleaseCurrent()
    {
        if (_returnCurrent)
        {
            _current?.Return();
        }

        _current = null;
        _returnCurrent = false;
    }

    private void ReturnAll()
    {
        ReleaseCurrent();
        foreach (var blob in _ready.Values)
        {
            blob.Return();
        }

        _ready.Clear();
    }

    /// <summary>Starts reading ranges, in the order the file needs them, until <c>readAhead</c> are under way.</summary>
    private void Fill()
    {
        while (_ahead.Count < _readAhead && _nextRange < _ranges.Count)
        {
            var range = _ranges[_nextRange++];
            _ahead.Enqueue(Task.Run(() => ReadRangeAsync(range, _stop.Token)));
        }
    }

    private async Task<List<DecodedBlob>> ReadRangeAsync(PackRange range, CancellationToken cancellationToken)
    {
        var stored = ArrayPool<byte>.Shared.Rent(range.Length);
        byte[]? scratch = null;
        var decoded = new List<DecodedBlob>(range.Blobs.Count);
        try
        {
            await PackRange.ReadAsync(_repository.Backend, range.PackId, range.Offset, stored.AsMemory(0, range.Length), cancellationToken).ConfigureAwait(false);
            foreach (var target in range.Blobs)
            {
                var plaintext = InPlaceBlobDecoder.Decode(_repository.Key, target.Blob, stored.AsSpan(0, range.Length), range.Offset, ref scratch);
                var copy = ArrayPool<byte>.Shared.Rent(plaintext.Length);
                plaintext.CopyTo(copy);
                decoded.Add(new DecodedBlob(target.Blob.Id, copy, plaintext.Length));
            }

            return decoded;
        }
        catch
        {
            foreach (var blob in decoded)
            {
                blob.Return();
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    /// <summary>A blob's plaintext in a pooled buffer, kept until its last use in the file is read.</summary>
    private sealed record DecodedBlob(Id Id, byte[] Buffer, int Length)
    {
        public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
    }
}
