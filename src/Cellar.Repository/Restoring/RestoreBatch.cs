using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// A bounded slice of a restore, in walk order: the files planned (by the blobs they need), the
/// hard links to make once their leaders are written, and the folders the walk left meanwhile,
/// whose metadata goes on once this batch and every earlier one are done. Only a few batches are
/// alive at once, so a restore's memory does not grow with the number of files.
/// </summary>
internal sealed class RestoreBatch
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingRanges;

    /// <summary>Every needed blob (decoded once) and the places it goes.</summary>
    public Dictionary<Id, BlobTarget> Blobs { get; } = [];

    public List<PendingLink> Links { get; } = [];

    /// <summary>Folders whose walk ended in this batch, deepest first.</summary>
    public List<PlannedDirectory> ClosedDirectories { get; } = [];

    public int Files { get; set; }

    public int Writes { get; set; }

    /// <summary>Completes when every range of the batch is written (or failed).</summary>
    public Task Done => _done.Task;

    public void SetRanges(int count)
    {
        _pendingRanges = count;
        if (count == 0)
        {
            _done.TrySetResult();
        }
    }

    public void CompleteRange()
    {
        if (Interlocked.Decrement(ref _pendingRanges) == 0)
        {
            _done.TrySetResult();
        }
    }

    public void Fail(Exception exception) => _done.TrySetException(exception);
}

/// <summary>A hard link to make once its leader (the first path of the inode) is written.</summary>
internal sealed record PendingLink(PlannedFile Leader, PlannedDirectory Directory, RawPath Name, string Location);
