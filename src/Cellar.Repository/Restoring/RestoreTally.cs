using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cellar.Repository.Restoring;

/// <summary>What one restore run has done so far, counted by the tree walk, the file restorer and the file writer (from several threads).</summary>
internal sealed class RestoreTally(RestoreProgress progress)
{
    private readonly ConcurrentQueue<RestoreError> _errors = new();
    private long _files;
    private long _directories;
    private long _otherEntries;
    private long _unchanged;
    private long _bytes;
    private long _readTicks;
    private long _decodeTicks;
    private long _writeTicks;

    public RestoreProgress Progress { get; } = progress;

    public void Error(string location, string message)
    {
        _errors.Enqueue(new RestoreError(location, message));
        Progress.AddError();
    }

    public void AddFile() => Interlocked.Increment(ref _files);

    public void AddDirectory() => Interlocked.Increment(ref _directories);

    public void AddOther() => Interlocked.Increment(ref _otherEntries);

    public void AddUnchanged() => Interlocked.Increment(ref _unchanged);

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void AddReadTicks(long ticks) => Interlocked.Add(ref _readTicks, ticks);

    public void AddDecodeTicks(long ticks) => Interlocked.Add(ref _decodeTicks, ticks);

    public void AddWriteTicks(long ticks) => Interlocked.Add(ref _writeTicks, ticks);

    public RestoreResult ToResult(TimeSpan duration, TimeSpan structure, TimeSpan content) => new()
    {
        Files = Interlocked.Read(ref _files),
        Directories = Interlocked.Read(ref _directories),
        OtherEntries = Interlocked.Read(ref _otherEntries),
        Unchanged = Interlocked.Read(ref _unchanged),
        Bytes = Interlocked.Read(ref _bytes),
        Duration = duration,
        StructureTime = structure,
        ContentTime = content,
        ReadTime = Ticks(_readTicks),
        DecodeTime = Ticks(_decodeTicks),
        WriteTime = Ticks(_writeTicks),
        Errors = [.. _errors],
    };

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromTicks(Stopwatch.GetElapsedTime(0, stopwatchTicks).Ticks);
}
