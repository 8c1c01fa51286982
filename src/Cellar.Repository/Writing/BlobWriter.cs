using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Writing;

/// <summary>
/// Stores blobs the way restic does and in the order that keeps the repository valid at every
/// instant: blobs are deduplicated (against the repository's index and against blobs already
/// accepted in this run), sealed on the caller's thread, gathered into ~16 MiB packs (data and
/// trees apart) assembled in temporary files (<see cref="PackTempFile"/>), packs uploaded by a few background uploaders, and an index file written only
/// after the packs it lists are stored. A crash leaves at worst packs no index lists, which
/// <c>restic check</c> reports as harmless and <c>prune</c> removes.
/// Thread-safe: many producers may call <see cref="SaveBlobAsync"/> at once.
/// </summary>
internal sealed class BlobWriter : IAsyncDisposable
{
    private const int Uploaders = 2;

    /// <summary>restic starts a new index file after 50000 entries (3 x that when compressed).</summary>
    private const int MaxBlobsPerIndexFile = 150_000;

    private readonly IBackend _backend;
    private readonly MasterKey _key;
    private readonly BlobSealer _sealer;
    private readonly BlobCompressor _compressor;
    private readonly Func<BlobHandle, bool> _isStored;
    private readonly Func<byte[], CancellationToken, Task<Id>> _saveIndex;
    private readonly ConcurrentDictionary<BlobHandle, byte> _accepted = new();
    private readonly Lock _packLock = new();
    private readonly PackWriter?[] _open = new PackWriter?[2];
    private readonly Channel<FinishedPack> _uploads = Channel.CreateBounded<FinishedPack>(new BoundedChannelOptions(1) { SingleWriter = false });
    private readonly Task[] _uploaders;
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private IndexFile _unindexed = new();
    private readonly List<Id> _indexFiles = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _tempDirectory;
    private int _unindexedBlobs;
    private long _dataAdded;
    private long _dataAddedPacked;
    private int _blobsAdded;
    private int _treeBlobsAdded;
    private int _packsWritten;

    /// <param name="backend">Where packs go.</param>
    /// <param name="key">The repository's master key.</param>
    /// <param name="formatVersion">1: nothing compressed; 2: zstd as restic does.</param>
    /// <param name="compression">For data blobs in a v2 repository.</param>
    /// <param name="isStored">Whether the repository's index already has a blob.</param>
    /// <param name="saveIndex">Saves an index file's JSON (encrypted, compressed in v2) and returns its id.</param>
    /// <param name="tempDirectory">Where packs are assembled; null for the system's temporary folder (TMPDIR).</param>
    public BlobWriter(IBackend backend, MasterKey key, int formatVersion, BlobCompression compression,
        Func<BlobHandle, bool> isStored, Func<byte[], CancellationToken, Task<Id>> saveIndex, string? tempDirectory = null)
    {
        _tempDirectory = tempDirectory;
        _backend = backend;
        _key = key;
        _compressor = new BlobCompressor(compression);
        _sealer = new BlobSealer(key, _compressor, compress: formatVersion >= 2);
        _isStored = isStored;
        _saveIndex = saveIndex;
        _uploaders = new Task[Uploaders];
        for (var i = 0; i < Uploaders; i++)
        {
            _uploaders[i] = Task.Run(() => UploadLoopAsync(_stop.Token));
        }
    }

    /// <summary>Plaintext bytes of the blobs this writer added.</summary>
    public long DataAdded => Interlocked.Read(ref _dataAdded);

    /// <summary>Bytes those blobs take in packs (compressed and encrypted).</summary>
    public long DataAddedPacked => Interlocked.Read(ref _dataAddedPacked);

    public int BlobsAdded => Volatile.Read(ref _blobsAdded);

    public int TreeBlobsAdded => Volatile.Read(ref _treeBlobsAdded);

    public int PacksWritten => Volatile.Read(ref _packsWritten);

    /// <summary>Ids of the index files written so far.</summary>
    public IReadOnlyList<Id> IndexFiles => _indexFiles;

    /// <summary>Whether a blob is in the repository or was accepted by this writer.</summary>
    public bool Contains(BlobHandle handle) => _accepted.ContainsKey(handle) || _isStored(handle);

    /// <summary>
    /// Stores a blob unless the repository already has it or it was accepted before. Returns true
    /// when this call added it. The bytes may be reused once the call returns.
    /// </summary>
    public async ValueTask<bool> SaveBlobAsync(BlobHandle handle, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        if (_isStored(handle) || !_accepted.TryAdd(handle, 0))
        {
            return false;
        }

        using (var prepared = _sealer.Prepare(handle, plaintext))
        {
            var sealedLength = prepared.SealedLength;
            var slot = handle.Type == BlobType.Tree ? 1 : 0;
            PackWriter pack;
            PackWriter? closed = null;
            long offset;
            lock (_packLock)
            {
                var open = _open[slot];
                if (open is not null && open.Count > 0 && open.Size + sealedLength > PackWriter.TargetSize)
                {
                    closed = CloseOpenPack(slot);
                    open = null;
                }

                open ??= _open[slot] = new PackWriter(_key, _tempDirectory);
                offset = open.Reserve(handle, sealedLength, prepared.UncompressedLength);
                pack = open;
                Interlocked.Add(ref _dataAddedPacked, sealedLength);
            }

            var succeeded = false;
            try
            {
                pack.Write(offset, prepared.Seal(_key));
                succeeded = true;
            }
            finally
            {
                bool complete;
                lock (_packLock)
                {
                    complete = pack.Release(succeeded);
                }

                if (complete)
                {
                    await QueueAsync(pack, cancellationToken).ConfigureAwait(false);
                }
            }

            // A pack closed above with no writer left is finished here, outside the lock.
            await QueueAsync(closed, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _dataAdded, plaintext.Length);
        Interlocked.Increment(ref _blobsAdded);
        if (handle.Type == BlobType.Tree)
        {
            Interlocked.Increment(ref _treeBlobsAdded);
        }

        return true;
    }

    /// <summary>Stores a tree blob (its JSON) and returns its id.</summary>
    public async ValueTask<Id> SaveTreeAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var id = Id.Hash(json.Span);
        await SaveBlobAsync(new BlobHandle(id, BlobType.Tree), json, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Finishes the open packs, waits until every pack is stored, and writes the index files
    /// listing them. After this, everything saved so far is referenced by the repository's index.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var closed = new List<PackWriter>();
        lock (_packLock)
        {
            for (var slot = 0; slot < _open.Length; slot++)
            {
                // Every save has returned by now, so no writer is still busy in these packs.
                if (_open[slot] is not null)
                {
                    closed.Add(CloseOpenPack(slot) ?? throw new InvalidOperationException("A blob is still being saved while the writer is flushed."));
                }
            }
        }

        foreach (var pack in closed)
        {
            await QueueAsync(pack, cancellationToken).ConfigureAwait(false);
        }

        _uploads.Writer.TryComplete();
        await Task.WhenAll(_uploaders).ConfigureAwait(false);
        await WriteIndexAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _uploads.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_uploaders).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // The failure was reported by FlushAsync or SaveBlobAsync already.
        }

        while (_uploads.Reader.TryRead(out var pack))
        {
            pack.Dispose();
        }

        lock (_packLock)
        {
            foreach (var pack in _open)
            {
                pack?.Dispose();
            }
        }

        _compressor.Dispose();
        _indexLock.Dispose();
        _stop.Dispose();
    }

    /// <summary>Takes the open pack of a slot out of use (under the lock); returns it when no writer is busy in it any more.</summary>
    private PackWriter? CloseOpenPack(int slot)
    {
        var pack = _open[slot]!;
        _open[slot] = null;
        return pack.Close() ? pack : null;
    }

    /// <summary>Finishes a closed, complete pack (header, id) and hands it to the uploaders; a pack with a failed blob is dropped.</summary>
    private async ValueTask QueueAsync(PackWriter? pack, CancellationToken cancellationToken)
    {
        if (pack is null)
        {
            return;
        }

        FinishedPack? finished = null;
        using (pack)
        {
            if (pack.IsBroken || pack.Count == 0)
            {
                return;
            }

            finished = pack.Finish();
        }

        try
        {
            await _uploads.Writer.WriteAsync(finished, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is { } cause)
        {
            // The uploaders stopped on an error (disk full, refused upload): that error is the cause.
            finished.Dispose();
            ExceptionDispatchInfo.Throw(cause);
        }
        catch
        {
            finished.Dispose();
            throw;
        }
    }

    private async Task UploadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UploadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Producers waiting for room must not wait forever: close the queue with the cause.
            _uploads.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task UploadAllAsync(CancellationToken cancellationToken)
    {
        await foreach (var pack in _uploads.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            using (pack)
            {
                await _backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), pack.File, pack.Length, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _packsWritten);
                await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var entry = new IndexPack(pack.Id);
                    entry.Blobs.AddRange(pack.Blobs);
                    _unindexed.Packs.Add(entry);
                    _unindexedBlobs += pack.Blobs.Count;
                }
                finally
                {
                    _indexLock.Release();
                }
            }

            await WriteIndexAsync(force: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteIndexAsync(bool force, CancellationToken cancellationToken)
    {
        await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_unindexed.Packs.Count == 0 || (!force && _unindexedBlobs < MaxBlobsPerIndexFile))
            {
                return;
            }

            var id = await _saveIndex(_unindexed.ToJson(), cancellationToken).ConfigureAwait(false);
            _indexFiles.Add(id);
            _unindexed = new IndexFile();
            _unindexedBlobs = 0;
        }
        finally
        {
            _indexLock.Release();
        }
    }
}
