using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>One file whose content must be read: from the file system, or from a virtual file's stream.</summary>
internal sealed class FileJob(Node node, RawPath path, FileStatus status, VirtualFile? virtualFile, FileChange change)
{
    /// <summary>The node to complete (metadata filled in; content and size are set when read).</summary>
    public Node Node { get; } = node;

    public RawPath Path { get; } = path;

    public FileStatus Status { get; } = status;

    public VirtualFile? Virtual { get; } = virtualFile;

    public FileChange Change { get; } = change;

    public string DisplayPath => Virtual?.SnapshotPath ?? Path.ToString();

    public TaskCompletionSource<Node?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
