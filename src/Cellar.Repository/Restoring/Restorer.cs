using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// The one way Cellar reads file content out of a repository: a whole tree into a target folder
/// (<see cref="RestoreAsync(Id, string, CancellationToken)"/>), or one file as a stream (<see cref="OpenFile"/>), both reading
/// pack ranges once, in pack order, and decoding (and hash-checking) each blob once.
/// <para>
/// A tree is restored exactly: content, all 12 mode bits, times to the nanosecond, owners (as
/// root), symlinks with raw targets, hard links as hard links, FIFOs, device nodes (as root),
/// empty folders, raw (non-UTF-8) names, sparse files with holes; safe against hostile trees (see
/// <see cref="TreeWalk"/>). Three parts run side by side: the <see cref="TreeWalk"/> builds the
/// structure and plans files in bounded batches, the <see cref="FileRestorer"/> reads their packs,
/// the <see cref="FileWriter"/> writes content and metadata; a batch's hard links and the metadata
/// of the folders the walk left in it go on once the batch (and every earlier one) is written.
/// </para>
/// </summary>
public sealed class Restorer
{
    private readonly ResticRepository _repository;
    private readonly RestoreOptions _options;
    private readonly int _workers;

    public Restorer(ResticRepository repository, RestoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _options = options ?? new RestoreOptions();
        _workers = Math.Max(1, _options.Parallelism ?? repository.Backend.ReadConcurrency);
    }

    /// <summary>Restores the tree <paramref name="treeId"/> (a snapshot's root or any subtree) into <paramref name="target"/>.</summary>
    public Task<RestoreResult> RestoreAsync(Id treeId, string target, CancellationToken cancellationToken) =>
        RestoreAsync(treeId, null, target, cancellationToken);

    /// <summary>Restores a folder node into <paramref name="target"/>: its tree, then the folder's own owner, mode and times on the target, last.</summary>
    public Task<RestoreResult> RestoreAsync(Node directory, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return RestoreAsync(directory.Subtree ?? throw new RepositoryCorruptException($"the folder {directory.Name} has no subtree; the repository is damaged"), directory, target, cancellationToken);
    }

    /// <summary>
    /// Restores one file node to <paramref name="target"/> (its folder must exist): whatever is at
    /// that name is replaced, never followed; the content comes through <see cref="OpenFile"/> and
    /// owner, mode and times go on by descriptor.
    /// </summary>
    public async Task RestoreFileAsync(Node file, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        Posix.EnsureSupported();
        var full = Path.GetFullPath(target);
        using var directory = Posix.Open(RawPath.FromString(Path.GetDirectoryName(full) ?? "/"), OpenFlags.ReadOnly | OpenFlags.Directory);
        var name = RawPath.FromString(Path.GetFileName(full));
        FileWriter.RemoveExisting(directory, name);
        using var fd = Posix.OpenAt(directory, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, FileModes.PrivateFile);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            await using var content = OpenFile(file);
            long offset = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Posix.PWrite(fd, buffer.AsSpan(0, read), offset);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        NodeMetadata.Apply(fd, file, _options.RestoreOwners);
    }

    private async Task<RestoreResult> RestoreAsync(Id treeId, Node? rootNode, string target, CancellationToken cancellationToken)
    {
        Posix.EnsureSupported();
        var stopwatch = Stopwatch.StartNew();
        var tally = new RestoreTally(_options.Progress);
        Directory.CreateDirectory(target);
        using var root = Posix.Open(RawPath.FromString(target), OpenFlags.ReadOnly | OpenFlags.Directory);
        using var writer = new FileWriter(root, _options, tally);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<RestoreBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var walk = new TreeWalk(_repository, _options, tally, _workers, batches.Writer);
        var structureTime = TimeSpan.Zero;
        var walking = Task.Run(
            async () =>
            {
                try
                {
                    await walk.RunAsync(treeId, root, stop.Token).ConfigureAwait(false);
                    structureTime = stopwatch.Elapsed;
                }
                finally
                {
                    batches.Writer.TryComplete();
                }
            },
            stop.Token);
        var content = new FileRestorer(_repository, writer, tally, _workers, _options.MaxReadRange, stop);
        Exception? failure = null;
        try
        {
            var unfinished = new Queue<RestoreBatch>();
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await content.AddAsync(batch, stop.Token).ConfigureAwait(false);
                unfinished.Enqueue(batch);
                while (unfinished.TryPeek(out var oldest) && oldest.Done.IsCompleted)
                {
                    await FinishAsync(unfinished.Dequeue(), writer, stop.Token).ConfigureAwait(false);
                }
            }

            while (unfinished.TryDequeue(out var batch))
            {
                await FinishAsync(batch, writer, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            await stop.CancelAsync().ConfigureAwait(false);
        }

        // The first real cause wins over the cancellations it set off.
        foreach (var part in new[] { content.CompleteAsync(), walking })
        {
            try
            {
                await part.ConfigureAwait(false);
            }
            catch (Exception ex) when (failure is null || (failure is OperationCanceledException && ex is not OperationCanceledException))
            {
                failure = ex;
            }
            catch (Exception)
            {
                // Already failed for a better reason.
            }
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (rootNode is not null)
        {
            try
            {
                NodeMetadata.Apply(root, rootNode, _options.RestoreOwners);
            }
            catch (PosixException ex)
            {
                tally.Error("/", ex.Message);
            }
        }

        return tally.ToResult(stopwatch.Elapsed, structureTime, stopwatch.Elapsed - structureTime);
    }

    /// <summary>
    /// Opens the content of a file node as a read-only, forward-only stream: pack ranges are read
    /// once each, in pack order, a bounded number ahead of the reader, and blobs are delivered in
    /// file order. Reads must be asynchronous. A blob missing or damaged fails the read that reaches it.
    /// </summary>
    public Stream OpenFile(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return OpenContent(node.Content ?? []);
    }

    /// <summary>Opens the concatenation of data blobs <paramref name="content"/> as in <see cref="OpenFile"/>.</summary>
    public Stream OpenContent(IReadOnlyList<Id> content) =>
        new FileContentStream(_repository, content, _options.MaxReadRange, readAhead: Math.Clamp(_workers, 2, 4));

    private static async Task FinishAsync(RestoreBatch batch, FileWriter writer, CancellationToken cancellationToken)
    {
        await batch.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
        writer.CreateHardLinks(batch.Links);
        writer.ApplyDirectoryMetadata(batch.ClosedDirectories);
    }
}
