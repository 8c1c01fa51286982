using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>
/// A file that exists only in the snapshot: its bytes come from a stream (a database dump, a
/// manifest) rather than from the file system.
/// </summary>
/// <param name="SnapshotPath">Absolute path inside the snapshot, e.g. <c>/cellar/database/users.sql</c>.</param>
/// <param name="Open">Opens the stream to store; called once, on a worker thread; the stream is disposed after reading.</param>
/// <param name="Permissions">Permission bits (default 0600: dumps hold private data).</param>
/// <param name="ModifiedTime">The file's time in the snapshot (default: when the backup started).</param>
public sealed record VirtualFile(
    string SnapshotPath,
    Func<CancellationToken, ValueTask<Stream>> Open,
    uint Permissions = FileModes.PrivateFile,
    DateTimeOffset? ModifiedTime = null)
{
    /// <summary>
    /// Content already in the repository (data blob ids, in order) of <see cref="Size"/> bytes: the
    /// file is stored with it, unread, when every blob is known to the index; otherwise it is read.
    /// </summary>
    public IReadOnlyList<Id>? KnownContent { get; init; }

    /// <summary>The size of <see cref="KnownContent"/>.</summary>
    public long Size { get; init; }

    /// <summary>
    /// The path named for this file in the snapshot's list of paths (default: its own); many
    /// files under one folder may all name the folder, so the list stays short and stable.
    /// </summary>
    public string? ListedAs { get; init; }

    /// <summary>A virtual file with fixed content (a manifest, a small report).</summary>
    public static VirtualFile FromBytes(string snapshotPath, byte[] content, uint permissions = FileModes.PrivateFile) =>
        new(snapshotPath, _ => ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false)), permissions);
}
