namespace Cellar.Testing;

/// <summary>What <see cref="TreeComparer"/> compares besides type and content.</summary>
public sealed record TreeComparisonOptions
{
    /// <summary>All 12 permission bits (not for symlinks, whose mode Linux fixes).</summary>
    public bool Modes { get; init; } = true;

    /// <summary>Modification times to the nanosecond, folders and symlinks included.</summary>
    public bool ModifyTimes { get; init; } = true;

    /// <summary>Access times to the nanosecond (off by default: reading a file may change it).</summary>
    public bool AccessTimes { get; init; }

    /// <summary>uid and gid (default: only when running as root, since others cannot restore them).</summary>
    public bool Owners { get; init; } = Cellar.Repository.Platform.Posix.IsSupported && Cellar.Repository.Platform.Posix.IsRoot;

    /// <summary>Files that have holes in the expected tree must have holes in the actual one.</summary>
    public bool Sparseness { get; init; }

    /// <summary>Compare the metadata of the two root folders themselves.</summary>
    public bool RootMetadata { get; init; }

    /// <summary>Paths (relative, '/'-separated, as displayed) to leave out, with everything below them.</summary>
    public Func<string, bool>? Ignore { get; init; }
}
