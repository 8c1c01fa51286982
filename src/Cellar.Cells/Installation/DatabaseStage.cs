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
        await using var held = await HoldAsync(dsn, stagingRoot, cancellationToken).ConfigureAwait(false);
        return await held.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the database's moment now (<see cref="IDatabaseEngine.HoldAsync"/>); the rows are staged when the returned dump is completed.</summary>
    public static async Task<Held> HoldAsync(DatabaseDsn dsn, string stagingRoot, CancellationToken cancellationToken)
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
            var held = await dsn.Engine.HoldAsync(dsn, sink, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Held(folder, sink, held);
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

    /// <summary>The database's moment held, its dump not yet staged; disposing releases the moment (and the folder, unless completed).</summary>
    public sealed class Held : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly DigestingDumpSink _sink;
        private readonly IHeldDump _dump;
        private bool _completed;

        internal Held(string folder, DigestingDumpSink sink, IHeldDump dump)
        {
            _folder = folder;
            _sink = sink;
            _dump = dump;
        }

        /// <summary>Reads the dump from the held moment into the staging folder.</summary>
        public async Task<DatabaseStage> CompleteAsync(CancellationToken cancellationToken)
        {
            var summary = await _dump.CompleteAsync(cancellationToken).ConfigureAwait(false);
            _completed = true;
            return new DatabaseStage(_folder, summary, _sink.Digests);
        }

        public async ValueTask DisposeAsync()
        {
            await _dump.DisposeAsync().ConfigureAwait(false);
            if (!_completed)
            {
                try
                {
                    Directory.Delete(_folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
