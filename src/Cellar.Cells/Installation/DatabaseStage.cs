using Cellar.Databases;
using Cellar.Repository.Archiving;

namespace Cellar.Cells.Installation;

/// <summary>
/// The database dumped per table into a private staging folder, offered to the backup as virtual
/// files under <see cref="SnapshotLayout.Database"/>; the folder is removed when disposed.
/// </summary>
public sealed class DatabaseStage : IDisposable
{
    private DatabaseStage(string folder, DumpSummary summary, IReadOnlyDictionary<string, string> digests)
    {
        Folder = folder;
        Summary = summary;
        Digests = digests;
    }

    public string Folder { get; }

    public DumpSummary Summary { get; }

    /// <summary>SHA-256 of each dumped stream, computed as it was written (see <see cref="DigestingDumpSink"/>).</summary>
    public IReadOnlyDictionary<string, string> Digests { get; }

    public static async Task<DatabaseStage> DumpAsync(DatabaseDsn dsn, string stagingRoot, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(stagingRoot, "cellar-db-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            var sink = new DigestingDumpSink(new DirectoryDumpSink(folder));
            var summary = await dsn.Engine.DumpAsync(dsn, sink, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new DatabaseStage(folder, summary, sink.Digests);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public IReadOnlyList<VirtualFile> VirtualFiles() =>
        Directory.EnumerateFiles(Folder)
            .Order(StringComparer.Ordinal)
            .Select(path => new VirtualFile(
                SnapshotLayout.Database + "/" + Path.GetFileName(path),
                _ => ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))))
            .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
