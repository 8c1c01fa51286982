namespace Cellar.Repository.Model;

/// <summary>
/// Go's <c>os.FileMode</c> bits, which restic stores in a node's <c>mode</c>: the permission bits
/// are POSIX's, but the file type and setuid/setgid/sticky live in the high bits. Conversions to
/// and from a POSIX <c>st_mode</c>.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Append = 1u << 30;
    public const uint Exclusive = 1u << 29;
    public const uint Temporary = 1u << 28;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;
    public const uint Irregular = 1u << 19;
    public const uint Perm = 0x1ff;
    public const uint TypeMask = Dir | Symlink | NamedPipe | Socket | Device | CharDevice | Irregular;

    // POSIX st_mode bits.
    public const uint PosixTypeMask = 0xf000; // S_IFMT 0170000
    public const uint PosixSocket = 0xc000; // 0140000
    public const uint PosixSymlink = 0xa000; // 0120000
    public const uint PosixRegular = 0x8000; // 0100000
    public const uint PosixBlockDevice = 0x6000; // 0060000
    public const uint PosixDirectory = 0x4000; // 0040000
    public const uint PosixCharDevice = 0x2000; // 0020000
    public const uint PosixFifo = 0x1000; // 0010000
    public const uint PosixSetuid = 0x800; // 04000
    public const uint PosixSetgid = 0x400; // 02000
    public const uint PosixSticky = 0x200; // 01000

    /// <summary>Go's FileMode for a POSIX st_mode, as Go's os.Stat builds it.</summary>
    public static uint FromPosix(uint stMode)
    {
        var mode = stMode & Perm;
        mode |= (stMode & PosixTypeMask) switch
        {
            PosixBlockDevice => Device,
            PosixCharDevice => Device | CharDevice,
            PosixDirectory => Dir,
            PosixFifo => NamedPipe,
            PosixSymlink => Symlink,
            PosixSocket => Socket,
            _ => 0,
        };
        if ((stMode & PosixSetuid) != 0) mode |= Setuid;
        if ((stMode & PosixSetgid) != 0) mode |= Setgid;
        if ((stMode & PosixSticky) != 0) mode |= Sticky;
        return mode;
    }

    /// <summary>The POSIX st_mode (type, setuid/setgid/sticky, permissions) for a Go FileMode.</summary>
    public static uint ToPosix(uint goMode)
    {
        var mode = goMode & Perm;
        if ((goMode & Dir) != 0) mode |= PosixDirectory;
        else if ((goMode & Symlink) != 0) mode |= PosixSymlink;
        else if ((goMode & NamedPipe) != 0) mode |= PosixFifo;
        else if ((goMode & Socket) != 0) mode |= PosixSocket;
        else if ((goMode & Device) != 0) mode |= (goMode & CharDevice) != 0 ? PosixCharDevice : PosixBlockDevice;
        else if ((goMode & Irregular) == 0) mode |= PosixRegular;
        if ((goMode & Setuid) != 0) mode |= PosixSetuid;
        if ((goMode & Setgid) != 0) mode |= PosixSetgid;
        if ((goMode & Sticky) != 0) mode |= PosixSticky;
        return mode;
    }

    /// <summary>The permission and special bits (07777) of a Go FileMode, as chmod takes them.</summary>
    public static uint ToPosixPermissions(uint goMode) => ToPosix(goMode) & 0xfff;
}
