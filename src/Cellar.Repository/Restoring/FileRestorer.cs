using System.Diagnostics;
using System.Threading.Channels;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Reads the content of planned files pack by pack: each batch's needed blobs are grouped into
/// pack ranges (in pack order), and a fixed set of workers takes ranges as they come, reads each
/// range once into its own buffer (kept and reused), decodes (and hash-checks) every blob there in
/// place and hands it to the <see cref="FileWriter"/>. Memory is bounded by bytes, not by packs or
/// files: workers × (largest range + largest compressed blob's plaintext), plus the queue of
/// planned ranges; nothing is allocated per range or blob.
/// </summary>
internal sealed class FileRestorer
{
    /// <summary>At most this many blobs in one range, so a pack of many small files is shared among workers.</summary>
    private const int MaxBlobsPerRange = 128;

    private readonly ResticRepository _repository;
    private readonly FileWriter _writer;
    private readonly RestoreTally _tally;
    private readonly int _maxReadRange;
    private readonly Channel<PackRange> _ranges;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _stop;

    /// <summary>
    /// Starts <paramref name="workers"/> workers waiting for ranges; <see cref="CompleteAsync"/> ends
    /// them. A worker that fails cancels <paramref name="stop"/>, so nothing waits for it forever.
    /// </summary>
    public FileRestorer(ResticRepository repository, FileWriter writer, RestoreTally tally, int workers, int maxReadRange, CancellationTokenSource stop)
    {
        _stop = stop;
        var cancellationToken = stop.Token;
        _repository = repository;
        _writer = writer;
        _tally = tally;
        _maxReadRange = maxReadRange;
        _ranges = Channel.CreateBounded<PackRange>(new BoundedChannelOptions(4 * workers) { SingleWriter = true });
        _workers = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            _workers[w] = Task.Run(() => WorkAsync(cancellationToken), cancellationToken);
        }
    }

    /// <summary>Queues the ranges of a batch, in pack order (waits while the workers are that far behind); the batch's <see cref="RestoreBatch.Done"/> says when they are written.</summary>
    public async Task AddAsync(RestoreBatch batch, CancellationToken cancellationToken)
    {
        var ranges = batch.Blobs.Values
            .GroupBy(b => b.Blob.PackId)
            .SelectMany(g => PackRange.Plan(g.Key, g, _maxReadRange, MaxBlobsPerRange))
            .OrderBy(r => r.PackId).ThenBy(r => r.Offset)
            .Select(r => r with { Batch = batch })
            .ToList();
        batch.SetRanges(ranges.Count);
        foreach (var range in ranges)
        {
            await _ranges.Writer.WriteAsync(range, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No more batches: waits for the workers to write what is queued.</summary>
    public Task CompleteAsync()
    {
        _ranges.Writer.TryComplete();
        return Task.WhenAll(_workers);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        byte[]? scratch = null;
        await foreach (var range in _ranges.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (buffer is null || buffer.Length < range.Length)
                {
                    // Grown to what the ranges need (rounded up to 1 MiB so it seldom grows twice), not padded to the maximum.
                    buffer = GC.AllocateUninitializedArray<byte>(checked((range.Length + (1 << 20) - 1) & ~((1 << 20) - 1)));
                }

                if (await ReadAsync(range, buffer, cancellationToken).ConfigureAwait(false))
                {
                    Restore(range, buffer, ref scratch);
                }

                range.Batch!.CompleteRange();
            }
            catch (Exception ex)
            {
                range.Batch!.Fail(ex);
                await _stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Reads a range into <paramref name="buffer"/>; false (its blobs reported lost) when it cannot be read.</summary>
    private async ValueTask<bool> ReadAsync(PackRange range, byte[] buffer, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await PackRange.ReadAsync(_repository.Backend, range.PackId, range.Offset, buffer.AsMemory(0, range.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var blob in range.Blobs)
            {
                _writer.FailBlob(blob, $"pack {range.PackId} cannot be read: {ex.Message}");
            }

            return false;
        }

        _tally.AddReadTicks(Stopwatch.GetTimestamp() - start);
        return true;
    }

    private void Restore(PackRange range, byte[] buffer, ref byte[]? scratch)
    {
        var data = buffer.AsSpan(0, range.Length);
        foreach (var blob in range.Blobs)
        {
            ReadOnlySpan<byte> plaintext;
            var decodeStart = Stopwatch.GetTimestamp();
            try
            {
                plaintext = InPlaceBlobDecoder.Decode(_repository.Key, blob.Blob, data, range.Offset, ref scratch);
                _tally.AddDecodeTicks(Stopwatch.GetTimestamp() - decodeStart);
            }
            catch (RepositoryCorruptException ex)
            {
                _writer.FailBlob(blob, ex.Message);
                continue;
            }

            var writeStart = Stopwatch.GetTimestamp();
            _writer.Write(blob, plaintext);
            _tally.AddWriteTicks(Stopwatch.GetTimestamp() - writeStart);
        }
    }
}
