namespace Cellar.Repository.Archiving;

/// <summary>What one backup stores: file-system paths, virtual files, and how.</summary>
public sealed class BackupRequest
{
    /// <summary>Absolute paths to back up (files or directories); relative ones are taken from the current directory.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Files whose content comes from streams, placed at their snapshot paths.</summary>
    public IReadOnlyList<VirtualFile> VirtualFiles { get; init; } = [];

    public IReadOnlyList<ExcludePattern> Excludes { get; init; } = [];

    /// <summary>Do not descend into directories on other file systems (mount points are kept, empty).</summary>
    public bool OneFileSystem { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The host name recorded in the snapshot (default: this machine's).</summary>
    public string? Hostname { get; init; }

    /// <summary>
    /// The snapshot to compare with: unchanged files (type, size, mtime, ctime, inode) reuse its
    /// content without being read. Null: the latest snapshot with the same host and paths, if any.
    /// </summary>
    public Id? ParentSnapshot { get; init; }

    /// <summary>True to ignore every earlier snapshot and read all files.</summary>
    public bool Force { get; init; }
}
