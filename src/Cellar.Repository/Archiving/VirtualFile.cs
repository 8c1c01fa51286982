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
    uint Permissions = 0x180,
    DateTimeOffset? ModifiedTime = null)
{
    /// <summary>A virtual file with fixed content (a manifest, a small report).</summary>
    public static VirtualFile FromBytes(string snapshotPath, byte[] content, uint permissions = 0x180) =>
        new(snapshotPath, _ => ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false)), permissions);
}
