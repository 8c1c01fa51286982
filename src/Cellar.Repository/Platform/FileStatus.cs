namespace Cellar.Repository.Platform;

/// <summary>What statx(2) reports about a file.</summary>
public readonly record struct FileStatus
{
    /// <summary>The full st_mode: type bits (S_IFMT) and the 12 permission bits.</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long Size { get; init; }

    /// <summary>Allocated 512-byte blocks.</summary>
    public long Blocks { get; init; }

    public uint Links { get; init; }

    public ulong Inode { get; init; }

    /// <summary>The device holding the file, encoded like glibc's makedev (as Go's Stat_t.Dev).</summary>
    public ulong Device { get; init; }

    /// <summary>For device nodes, the device they stand for (glibc makedev encoding).</summary>
    public ulong RDevice { get; init; }

    public PosixTime AccessTime { get; init; }

    public PosixTime ModifyTime { get; init; }

    public PosixTime ChangeTime { get; init; }

    /// <summary>Birth time, when the file system reports it (else zero).</summary>
    public PosixTime BirthTime { get; init; }

    /// <summary>The 12 permission bits: rwx for user/group/other plus setuid, setgid, sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public FileKind Kind => FileModes.KindOf(Mode);

    public bool IsDirectory => Kind == FileKind.Directory;

    public bool IsRegular => Kind == FileKind.Regular;

    public bool IsSymlink => Kind == FileKind.Symlink;
}
