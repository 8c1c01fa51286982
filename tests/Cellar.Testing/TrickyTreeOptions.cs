namespace Cellar.Testing;

/// <summary>What <see cref="TrickyTree"/> puts in a tree.</summary>
public sealed record TrickyTreeOptions
{
    /// <summary>The largest regular file (default 30 MB); files range from 0 B up to it.</summary>
    public long MaxFileSize { get; init; } = 30L * 1024 * 1024;

    /// <summary>Seed for names, contents and times: the same seed gives the same tree.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How many small documents (0 B to 64 KiB) to scatter over a few folders.</summary>
    public int SmallFiles { get; init; } = 60;

    /// <summary>Sparse files (holes); a file system without holes still gets the files, dense.</summary>
    public bool Sparse { get; init; } = true;

    /// <summary>Change owners to other uids/gids (only takes effect when running as root).</summary>
    public bool Owners { get; init; } = true;

    /// <summary>
    /// Symlinks whose targets are not UTF-8. restic before 0.17 (no <c>linktarget_raw</c>) stores
    /// such targets with U+FFFD in place of the bad bytes, so comparisons with it turn this off.
    /// </summary>
    public bool NonUtf8SymlinkTargets { get; init; } = true;

    /// <summary>Create character and block device nodes (only when running as root).</summary>
    public bool Devices { get; init; } = true;
}
