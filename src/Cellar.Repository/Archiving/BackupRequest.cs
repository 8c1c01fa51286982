namespace Cellar.Repository.Archiving;

/// <summary>What one backup stores: file-system paths, virtual files, and how.</summary>
public sealed class BackupRequest
{
    /// <summary>
    /// Paths to back up (files or directories). Absolute ones are stored at their absolute path;
    /// relative ones (from <see cref="BaseDirectory"/>) relative to the snapshot root, as restic does:
    /// <c>.</c> puts the directory's contents at the root.
    /// </summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The directory relative paths start from (default: the process's current directory).</summary>
    public string? BaseDirectory { get; init; }

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

    /// <summary>
    /// True: nothing is read from the file system. <see cref="Paths"/> and every other node of
    /// <see cref="ParentSnapshot"/> (which must be given) are kept as that snapshot stored them, and
    /// the virtual files are added over it. Completes a snapshot whose files were taken at an
    /// earlier moment (the quiesced installation backup's files while Cells was stopped).
    /// </summary>
    public bool KeepParentNodes { get; init; }

    /// <summary>True to ignore every earlier snapshot and read all files.</summary>
    public bool Force { get; init; }
}
