using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>How a restore runs.</summary>
public sealed record RestoreOptions
{
    /// <summary>Which entries to restore (default: all).</summary>
    public RestoreFilter Filter { get; init; } = RestoreFilter.All;

    /// <summary>Restore uid/gid (default: when running as root, as only root may give files away).</summary>
    public bool RestoreOwners { get; init; } = Posix.IsSupported && Posix.IsRoot;

    /// <summary>Leave all-zero blocks as holes (the file size is set first, so skipped blocks read as zeros).</summary>
    public bool Sparse { get; init; } = true;

    /// <summary>
    /// How many pack ranges are read, decoded and written at once. Each worker keeps one range
    /// buffer and, for compressed blobs, one plaintext buffer, so memory is bounded at about this
    /// many times (<see cref="MaxReadRange"/> + the largest blob, 8 MiB in restic's chunking).
    /// Default (null): what the backend says pays off (<see cref="Storage.IBackend.ReadConcurrency"/>).
    /// </summary>
    public int? Parallelism { get; init; }

    /// <summary>The largest pack range read in one go (bytes; a single larger blob is read whole).</summary>
    public int MaxReadRange { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How many files with content are planned ahead of the content being written (the walk waits
    /// beyond that). Bounds the restore's memory however many files the snapshot holds; larger
    /// batches group more blobs per pack read.
    /// </summary>
    public int FilesPerBatch { get; init; } = 4096;

    /// <summary>What to do with entries already in the target (restic's <c>--overwrite</c>; default: always).</summary>
    public OverwriteMode Overwrite { get; init; } = OverwriteMode.Always;

    /// <summary>Live counters the caller may show as progress.</summary>
    public RestoreProgress Progress { get; init; } = new();
}
