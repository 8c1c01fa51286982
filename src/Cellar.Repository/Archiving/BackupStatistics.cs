namespace Cellar.Repository.Archiving;

/// <summary>Counters of a running backup, safe to read from another thread (for progress).</summary>
public sealed class BackupStatistics
{
    private long _filesNew;
    private long _filesChanged;
    private long _filesUnmodified;
    private long _dirsNew;
    private long _dirsChanged;
    private long _dirsUnmodified;
    private long _filesProcessed;
    private long _bytesProcessed;
    private long _errors;

    public long FilesNew => Interlocked.Read(ref _filesNew);
    public long FilesChanged => Interlocked.Read(ref _filesChanged);
    public long FilesUnmodified => Interlocked.Read(ref _filesUnmodified);
    public long DirsNew => Interlocked.Read(ref _dirsNew);
    public long DirsChanged => Interlocked.Read(ref _dirsChanged);
    public long DirsUnmodified => Interlocked.Read(ref _dirsUnmodified);
    public long FilesProcessed => Interlocked.Read(ref _filesProcessed);
    public long BytesProcessed => Interlocked.Read(ref _bytesProcessed);
    public long Errors => Interlocked.Read(ref _errors);

    internal void File(FileChange change, long bytes)
    {
        Interlocked.Increment(ref _filesProcessed);
        Interlocked.Add(ref _bytesProcessed, bytes);
        switch (change)
        {
            case FileChange.New:
                Interlocked.Increment(ref _filesNew);
                break;
            case FileChange.Changed:
                Interlocked.Increment(ref _filesChanged);
                break;
            default:
                Interlocked.Increment(ref _filesUnmodified);
                break;
        }
    }

    internal void Directory(FileChange change)
    {
        switch (change)
        {
            case FileChange.New:
                Interlocked.Increment(ref _dirsNew);
                break;
            case FileChange.Changed:
                Interlocked.Increment(ref _dirsChanged);
                break;
            default:
                Interlocked.Increment(ref _dirsUnmodified);
                break;
        }
    }

    internal void Error() => Interlocked.Increment(ref _errors);
}
