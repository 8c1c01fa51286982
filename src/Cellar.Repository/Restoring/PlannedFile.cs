using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>A regular file being restored: where it is, its node, and how many blob writes it still waits for.</summary>
internal sealed class PlannedFile(PlannedDirectory directory, RawPath name, string location, Node node)
{
    private int _remaining;
    private int _failed;

    public PlannedDirectory Directory { get; } = directory;

    public RawPath Name { get; } = name;

    public string Location { get; } = location;

    public Node Node { get; } = node;

    public long Size { get; set; }

    public ulong Inode { get; set; }

    /// <summary>Whether the file exists in the target yet (files with content are created by the first write).</summary>
    public bool Created { get; set; }

    public bool Failed => Volatile.Read(ref _failed) != 0;

    public void SetRemaining(int count) => _remaining = count;

    /// <summary>Counts one blob write done; true when it was the last.</summary>
    public bool CompleteOne() => Interlocked.Decrement(ref _remaining) == 0;

    /// <summary>Marks the file damaged; true the first time.</summary>
    public bool MarkFailed() => Interlocked.Exchange(ref _failed, 1) == 0;
}
