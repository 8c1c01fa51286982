using System.Threading.Channels;
using Cellar.Repository.Chunking;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Writing;

namespace Cellar.Repository.Archiving;

/// <summary>
/// The content half of the pipeline: a few readers open files and cut them into chunks, a
/// worker per core hashes each chunk and hands it to the <see cref="BlobWriter"/> (dedup, zstd,
/// encryption, packs). Both hand-offs are bounded channels, so memory stays bounded however big
/// the tree: at most a few chunks wait between the stages.
/// </summary>
internal sealed class FileSaver : IAsyncDisposable
{
    private readonly BlobWriter _writer;
    private readonly Polynomial _polynomial;
    private readonly BackupStatistics _statistics;
    private readonly Action<BackupWarning> _warn;
    private readonly Channel<FileJob> _files;
    private readonly Channel<ChunkJob> _chunks;
    private readonly Task[] _readers;
    private readonly Task[] _hashers;
    private readonly CancellationToken _cancellationToken;

    public FileSaver(BlobWriter writer, Polynomial polynomial, BackupStatistics statistics, Action<BackupWarning> warn, CancellationToken cancellationToken)
    {
        _writer = writer;
        _polynomial = polynomial;
        _statistics = statistics;
        _warn = warn;
        _cancellationToken = cancellationToken;
        var workers = Math.Max(2, Environment.ProcessorCount);
        _files = Channel.CreateBounded<FileJob>(new BoundedChannelOptions(workers * 4));
        _chunks = Channel.CreateBounded<ChunkJob>(new BoundedChannelOptions(workers));
        _readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(ReadLoopAsync, cancellationToken))];
        _hashers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(HashLoopAsync, cancellationToken))];
    }

    /// <summary>Queues a file (waits while the queue is full) and returns its finished node, or null when it could not be read.</summary>
    public async ValueTask<Task<Node?>> EnqueueAsync(FileJob job)
    {
        await _files.Writer.WriteAsync(job, _cancellationToken).ConfigureAwait(false);
        return job.Completion.Task;
    }

    /// <summary>Stops accepting files and waits for the workers (rethrowing a fatal error).</summary>
    public async Task CompleteAsync()
    {
        _files.Writer.TryComplete();
        await Task.WhenAll(_readers).ConfigureAwait(false);
        _chunks.Writer.TryComplete();
        await Task.WhenAll(_hashers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _files.Writer.TryComplete();
        _chunks.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_readers.Concat(_hashers)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already surfaced through the file tasks or CompleteAsync.
        }

        while (_chunks.Reader.TryRead(out var job))
        {
            job.Chunk.Dispose();
        }
    }

    /// <summary>
    /// Reads files one after another. Each file's completion (waiting for its chunks to be stored)
    /// runs as a task this loop owns: it keeps them, drops the finished ones as it goes, and
    /// awaits the rest before it ends, so no task outlives the saver unobserved.
    /// </summary>
    private async Task ReadLoopAsync()
    {
        var finishing = new List<Task>();
        try
        {
            await foreach (var job in _files.Reader.ReadAllAsync(_cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (await ReadFileAsync(job).ConfigureAwait(false) is { } finish)
                    {
                        finishing.Add(finish);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException && job.Completion.TrySetException(ex))
                {
                }

                if (finishing.Count >= 64)
                {
                    finishing.RemoveAll(static t => t.IsCompletedSuccessfully);
                }
            }
        }
        finally
        {
            // FinishAsync and ObserveAsync never throw: this only waits for them.
            await Task.WhenAll(finishing).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and chunks one file; returns the task that completes its node once every chunk is stored (null when skipped).</summary>
    private async Task<Task?> ReadFileAsync(FileJob job)
    {
        FileDescriptor? file = null;
        Stream stream;
        if (job.Virtual is { } virtualFile)
        {
            stream = await virtualFile.Open(_cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                file = OpenForReading(job.Path);
                var opened = Posix.Stat(file);
                if (!opened.IsRegular || opened.Inode != job.Status.Inode)
                {
                    file.Dispose();
                    Skip(job, "was replaced by another file while the backup ran; not saved");
                    return null;
                }
            }
            catch (IOException ex)
            {
                file?.Dispose();
                Skip(job, ex.Message);
                return null;
            }

            stream = new DescriptorStream(file);
        }

        var parts = new List<Task<Id>>();
        long length;
        try
        {
            using var chunker = new StreamChunker(_polynomial, stream, job.Status.Size);
            while (await chunker.NextAsync(_cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                var done = new TaskCompletionSource<Id>(TaskCreationOptions.RunContinuationsAsynchronously);
                await _chunks.Writer.WriteAsync(new ChunkJob(chunk, done), _cancellationToken).ConfigureAwait(false);
                parts.Add(done.Task);
            }

            length = chunker.BytesChunked;
            if (file is not null)
            {
                var after = Posix.Stat(file);
                if (after.Size != job.Status.Size || after.ModifyTime != job.Status.ModifyTime || length != job.Status.Size)
                {
                    _statistics.Error();
                    _warn(new BackupWarning(job.DisplayPath, "changed while it was read; the snapshot holds what was read, which may be inconsistent"));
                }
            }
        }
        catch (IOException ex)
        {
            Skip(job, $"could not be read: {ex.Message}");
            return ObserveAsync(parts);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            file?.Dispose();
        }

        return FinishAsync(job, parts, length);
    }

    /// <summary>Waits for the chunks of a file that was skipped half-way; their outcome no longer matters (a writer failure surfaces through the other files and the flush).</summary>
    private async Task ObserveAsync(List<Task<Id>> parts)
    {
        try
        {
            await Task.WhenAll(parts).WaitAsync(_cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed on purpose: the file is already reported as skipped.
        }
    }

    private async Task FinishAsync(FileJob job, List<Task<Id>> parts, long length)
    {
        try
        {
            // On cancellation the hashers stop and chunks left queued never complete: stop waiting then.
            var ids = await Task.WhenAll(parts).WaitAsync(_cancellationToken).ConfigureAwait(false);
            job.Node.Content = [.. ids];
            job.Node.Size = (ulong)length;
            _statistics.File(job.Change, length);
            job.Completion.TrySetResult(job.Node);
        }
        catch (Exception ex)
        {
            job.Completion.TrySetException(ex);
        }
    }

    private async Task HashLoopAsync()
    {
        await foreach (var job in _chunks.Reader.ReadAllAsync(_cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var id = Id.Hash(job.Chunk.Span);
                await _writer.SaveBlobAsync(new BlobHandle(id, BlobType.Data), job.Chunk.Memory, _cancellationToken).ConfigureAwait(false);
                job.Done.TrySetResult(id);
            }
            catch (Exception ex)
            {
                job.Done.TrySetException(ex);
            }
            finally
            {
                job.Chunk.Dispose();
            }
        }
    }

    private void Skip(FileJob job, string message)
    {
        _statistics.Error();
        _warn(new BackupWarning(job.DisplayPath, message));
        job.Completion.TrySetResult(null);
    }

    private static FileDescriptor OpenForReading(RawPath path)
    {
        try
        {
            return Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NoAccessTime | OpenFlags.NonBlock);
        }
        catch (PosixException ex) when (ex.Errno == Errno.EPERM)
        {
            // O_NOATIME is only allowed for the owner (or root).
            return Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock);
        }
    }

    private readonly record struct ChunkJob(Chunk Chunk, TaskCompletionSource<Id> Done);
}
