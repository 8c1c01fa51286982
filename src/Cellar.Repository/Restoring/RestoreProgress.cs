namespace Cellar.Repository.Restoring;

/// <summary>Counters a running restore updates; safe to read from another thread for progress display.</summary>
public sealed class RestoreProgress
{
    private long _filesTotal;
    private long _bytesTotal;
    private long _filesDone;
    private long _bytesDone;
    private long _errors;

    public long FilesTotal => Interlocked.Read(ref _filesTotal);

    public long BytesTotal => Interlocked.Read(ref _bytesTotal);

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long Errors => Interlocked.Read(ref _errors);

    internal void AddPlanned(long files, long bytes)
    {
        Interlocked.Add(ref _filesTotal, files);
        Interlocked.Add(ref _bytesTotal, bytes);
    }

    internal void AddDone(long files, long bytes)
    {
        Interlocked.Add(ref _filesDone, files);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    internal void AddError() => Interlocked.Increment(ref _errors);
}
