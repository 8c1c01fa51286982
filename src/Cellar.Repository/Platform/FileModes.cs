namespace Cellar.Repository.Platform;

/// <summary>The S_IF* type bits and permission bits of a POSIX mode.</summary>
public static class FileModes
{
    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;
    public const uint Socket = 0xC000;
    public const uint SetUid = 0x800;
    public const uint SetGid = 0x400;
    public const uint Sticky = 0x200;

    /// <summary>0600 (rw-------): what only the owner may read, such as dumps and credentials.</summary>
    public const uint PrivateFile = 0x180;

    /// <summary>0700 (rwx------): a folder only the owner may enter.</summary>
    public const uint PrivateDirectory = 0x1C0;

    /// <summary>0644 (rw-r--r--): a file everyone may read, only the owner write.</summary>
    public const uint PublicFile = 0x1A4;

    /// <summary>0755 (rwxr-xr-x): a folder everyone may enter, only the owner change.</summary>
    public const uint PublicDirectory = 0x1ED;

    public static FileKind KindOf(uint mode) => (mode & TypeMask) switch
    {
        Fifo => FileKind.Fifo,
        CharDevice => FileKind.CharDevice,
        Directory => FileKind.Directory,
        BlockDevice => FileKind.BlockDevice,
        Regular => FileKind.Regular,
        Symlink => FileKind.Symlink,
        Socket => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    public static uint TypeBitsOf(FileKind kind) => kind switch
    {
        FileKind.Fifo => Fifo,
        FileKind.CharDevice => CharDevice,
        FileKind.Directory => Directory,
        FileKind.BlockDevice => BlockDevice,
        FileKind.Regular => Regular,
        FileKind.Symlink => Symlink,
        FileKind.Socket => Socket,
        _ => 0,
    };
}
