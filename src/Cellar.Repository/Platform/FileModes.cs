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
