namespace Cellar.Repository.Platform;

/// <summary>The type of a file system entry, from the S_IFMT bits of its mode.</summary>
public enum FileKind
{
    Unknown = 0,
    Regular,
    Directory,
    Symlink,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
}
