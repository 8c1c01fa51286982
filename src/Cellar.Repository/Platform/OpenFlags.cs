namespace Cellar.Repository.Platform;

/// <summary>Portable open(2) flags; <see cref="Posix"/> maps them to the machine's values (they differ between x86_64 and arm64).</summary>
[Flags]
public enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    Create = 1 << 4,
    Exclusive = 1 << 5,
    Truncate = 1 << 6,
    Append = 1 << 7,
    NoFollow = 1 << 8,
    Directory = 1 << 9,
    NonBlock = 1 << 10,
    /// <summary>O_PATH: a handle for *at calls only, no read or write.</summary>
    PathOnly = 1 << 11,
    NoCtty = 1 << 12,
    /// <summary>Do not update the access time (only for the file's owner or root).</summary>
    NoAccessTime = 1 << 13,
}
