namespace Cellar.Repository.Restoring;

/// <summary>What a restore did.</summary>
public sealed record RestoreResult
{
    public long Files { get; init; }

    public long Directories { get; init; }

    /// <summary>Symlinks, FIFOs, device nodes and hard links.</summary>
    public long OtherEntries { get; init; }

    /// <summary>Entries left as they were in the target because of <see cref="RestoreOptions.Overwrite"/>.</summary>
    public long Unchanged { get; init; }

    /// <summary>Bytes of file content restored (holes count: they are content).</summary>
    public long Bytes { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Time the tree walk took (creating folders, special entries and empty files, planning the rest); content is written meanwhile.</summary>
    public TimeSpan StructureTime { get; init; }

    /// <summary>Time from the end of the walk until all content and metadata were written.</summary>
    public TimeSpan ContentTime { get; init; }

    /// <summary>Time the content workers spent reading pack ranges, decoding blobs, and writing files (summed over workers).</summary>
    public TimeSpan ReadTime { get; init; }

    public TimeSpan DecodeTime { get; init; }

    public TimeSpan WriteTime { get; init; }

    public IReadOnlyList<RestoreError> Errors { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;
}
