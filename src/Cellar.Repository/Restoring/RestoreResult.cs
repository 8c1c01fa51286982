namespace Cellar.Repository.Restoring;

/// <summary>What a restore did.</summary>
public sealed record RestoreResult
{
    public long Files { get; init; }

    public long Directories { get; init; }

    /// <summary>Symlinks, FIFOs, device nodes and hard links.</summary>
    public long OtherEntries { get; init; }

    /// <summary>Bytes of file content restored (holes count: they are content).</summary>
    public long Bytes { get; init; }

    public TimeSpan Duration { get; init; }

    public IReadOnlyList<RestoreError> Errors { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;
}
