using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cellar.Repository.Platform;

/// <summary>
/// POSIX file system calls on raw byte paths (Linux, x86_64 and arm64). Every failure throws a
/// <see cref="PosixException"/> carrying the errno and the path. Descriptors are opened with
/// O_CLOEXEC. Other systems fail with <see cref="PlatformNotSupportedException"/> on first use.
/// </summary>
public static unsafe class Posix
{
    private static readonly bool Supported = OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>True when this machine runs a system this layer supports (Linux on x86_64 or arm64).</summary>
    public static bool IsSupported => Supported;

    /// <summary>Throws a clear error on systems this layer does not support.</summary>
    public static void EnsureSupported()
    {
        if (!Supported)
        {
            throw new PlatformNotSupportedException(
                $"Cellar's file system layer supports Linux on x86_64 and arm64; this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}.");
        }
    }

    // ---- status ----

    /// <summary>statx(2) of a path; symlinks are not followed unless asked.</summary>
    public static FileStatus Stat(RawPath path, bool followSymlinks = false) =>
        StatAt(FileDescriptor.CurrentDirectory, path, followSymlinks);

    /// <summary>statx(2) of a name relative to a directory descriptor.</summary>
    public static FileStatus StatAt(FileDescriptor directory, RawPath name, bool followSymlinks = false)
    {
        var result = TryStatAt(directory, name, followSymlinks, out var status);
        if (result != 0)
        {
            throw new PosixException("statx", result, name);
        }

        return status;
    }

    /// <summary>statx(2) of an open descriptor.</summary>
    public static FileStatus Stat(FileDescriptor file)
    {
        EnsureSupported();
        var buffer = stackalloc byte[256];
        using var lease = new Lease(file);
        byte empty = 0;
        if (LibC.statx(lease.Fd, &empty, LibC.AtEmptyPath, LibC.StatxBasicStatsAndBirth, buffer) != 0)
        {
            throw new PosixException("statx", Marshal.GetLastPInvokeError());
        }

        return ParseStatx(new ReadOnlySpan<byte>(buffer, 256));
    }

    /// <summary>statx(2) that returns false when the entry does not exist.</summary>
    public static bool TryStat(RawPath path, out FileStatus status, bool followSymlinks = false)
    {
        var result = TryStatAt(FileDescriptor.CurrentDirectory, path, followSymlinks, out status);
        if (result is 0)
        {
            return true;
        }

        if (result is Errno.ENOENT or Errno.ENOTDIR)
        {
            return false;
        }

        throw new PosixException("statx", result, path);
    }

    internal static int TryStatAt(FileDescriptor directory, RawPath name, bool followSymlinks, out FileStatus status)
    {
        EnsureSupported();
        var buffer = stackalloc byte[256];
        var flags = followSymlinks ? 0 : LibC.AtSymlinkNoFollow;
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            if (LibC.statx(lease.Fd, p, flags, LibC.StatxBasicStatsAndBirth, buffer) != 0)
            {
                status = default;
                return Marshal.GetLastPInvokeError();
            }
        }

        status = ParseStatx(new ReadOnlySpan<byte>(buffer, 256));
        return 0;
    }

    // struct statx, identical on every Linux architecture.
    private static FileStatus ParseStatx(ReadOnlySpan<byte> b) => new()
    {
        Links = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
        Uid = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
        Gid = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
        Mode = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
        Inode = BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
        Size = BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
        Blocks = BinaryPrimitives.ReadInt64LittleEndian(b[48..]),
        AccessTime = ReadTimestamp(b[64..]),
        BirthTime = ReadTimestamp(b[80..]),
        ChangeTime = ReadTimestamp(b[96..]),
        ModifyTime = ReadTimestamp(b[112..]),
        RDevice = DeviceNumber.Make(BinaryPrimitives.ReadUInt32LittleEndian(b[128..]), BinaryPrimitives.ReadUInt32LittleEndian(b[132..])),
        Device = DeviceNumber.Make(BinaryPrimitives.ReadUInt32LittleEndian(b[136..]), BinaryPrimitives.ReadUInt32LittleEndian(b[140..])),
    };

    private static PosixTime ReadTimestamp(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(b), BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));

    // ---- opening ----

    /// <summary>open(2) with O_CLOEXEC added.</summary>
    public static FileDescriptor Open(RawPath path, OpenFlags flags, uint mode = 0) =>
        OpenAt(FileDescriptor.CurrentDirectory, path, flags, mode);

    /// <summary>openat(2) with O_CLOEXEC added. Use <see cref="OpenFlags.NoFollow"/> to refuse a symlink as the last component.</summary>
    public static FileDescriptor OpenAt(FileDescriptor directory, RawPath name, OpenFlags flags, uint mode = 0)
    {
        EnsureSupported();
        var native = NativeOpenFlags(flags);
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            while (true)
            {
                var fd = LibC.openat(lease.Fd, p, native, mode);
                if (fd >= 0)
                {
                    return new FileDescriptor(fd);
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new PosixException("openat", errno, name);
                }
            }
        }
    }

    /// <summary>
    /// open(2) with O_TMPFILE: a new, nameless file in <paramref name="directory"/>, read-write,
    /// owner-only, whose space is freed when the handle is closed. Null when this system or file
    /// system cannot make one (then create a named file and unlink it at once).
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpenUnnamedFile(string directory)
    {
        if (!Supported)
        {
            return null;
        }

        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY; O_RDWR | O_CLOEXEC.
        var native = (IsArm ? 0x404000 : 0x410000) | 0x2 | 0x80000;
        fixed (byte* p = RawPath.FromString(directory).ToNulTerminated())
        {
            while (true)
            {
                var fd = LibC.openat(LibC.AtFdCwd, p, native, 0x180);
                if (fd >= 0)
                {
                    return new Microsoft.Win32.SafeHandles.SafeFileHandle(new IntPtr(fd), ownsHandle: true);
                }

                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>Opens a directory without following a symlink in its last component.</summary>
    public static FileDescriptor OpenDirectoryAt(FileDescriptor directory, RawPath name) =>
        OpenAt(directory, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);

    /// <summary>The values of open(2) flags on this machine.</summary>
    internal static int NativeOpenFlags(OpenFlags flags)
    {
        var native = 0x80000; // O_CLOEXEC
        native |= (int)(flags & (OpenFlags.WriteOnly | OpenFlags.ReadWrite));
        if (flags.HasFlag(OpenFlags.Create)) native |= 0x40;
        if (flags.HasFlag(OpenFlags.Exclusive)) native |= 0x80;
        if (flags.HasFlag(OpenFlags.NoCtty)) native |= 0x100;
        if (flags.HasFlag(OpenFlags.Truncate)) native |= 0x200;
        if (flags.HasFlag(OpenFlags.Append)) native |= 0x400;
        if (flags.HasFlag(OpenFlags.NonBlock)) native |= 0x800;
        if (flags.HasFlag(OpenFlags.Directory)) native |= IsArm ? 0x4000 : 0x10000;
        if (flags.HasFlag(OpenFlags.NoFollow)) native |= IsArm ? 0x8000 : 0x20000;
        if (flags.HasFlag(OpenFlags.NoAccessTime)) native |= 0x40000;
        if (flags.HasFlag(OpenFlags.PathOnly)) native |= 0x200000;
        return native;
    }

    // ---- directories and links ----

    /// <summary>The entries of a directory (without "." and ".."), names as raw bytes.</summary>
    public static List<DirectoryEntry> ReadDirectory(RawPath path)
    {
        using var fd = Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        return ReadDirectory(fd);
    }

    /// <summary>The entries of an open directory (without "." and ".."); the descriptor stays open.</summary>
    public static List<DirectoryEntry> ReadDirectory(FileDescriptor directory)
    {
        EnsureSupported();
        int copy;
        using (var lease = new Lease(directory))
        {
            copy = LibC.dup(lease.Fd);
        }

        if (copy < 0)
        {
            throw new PosixException("dup", Marshal.GetLastPInvokeError());
        }

        var dir = LibC.fdopendir(copy);
        if (dir == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.close(copy);
            throw new PosixException("fdopendir", errno);
        }

        var entries = new List<DirectoryEntry>();
        try
        {
            LibC.rewinddir(dir);
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = LibC.readdir(dir);
                if (entry == IntPtr.Zero)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                    {
                        throw new PosixException("readdir", errno);
                    }

                    break;
                }

                // struct dirent (glibc and musl, 64-bit): d_ino u64, d_off i64, d_reclen u16, d_type u8, d_name[].
                var raw = (byte*)entry;
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(raw + 19);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                {
                    continue;
                }

                entries.Add(new DirectoryEntry(new RawPath(name), KindOfDirentType(raw[18]), *(ulong*)raw));
            }
        }
        finally
        {
            LibC.closedir(dir);
        }

        return entries;
    }

    private static FileKind KindOfDirentType(byte type) => type switch
    {
        1 => FileKind.Fifo,
        2 => FileKind.CharDevice,
        4 => FileKind.Directory,
        6 => FileKind.BlockDevice,
        8 => FileKind.Regular,
        10 => FileKind.Symlink,
        12 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    /// <summary>readlink(2): a symlink's target as raw bytes.</summary>
    public static RawPath ReadLink(RawPath path) => ReadLinkAt(FileDescriptor.CurrentDirectory, path);

    /// <summary>readlinkat(2): a symlink's target as raw bytes.</summary>
    public static RawPath ReadLinkAt(FileDescriptor directory, RawPath name)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        var size = 256;
        fixed (byte* p = name.ToNulTerminated())
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    fixed (byte* b = buffer)
                    {
                        var n = LibC.readlinkat(lease.Fd, p, b, (nuint)buffer.Length);
                        if (n < 0)
                        {
                            throw new PosixException("readlinkat", Marshal.GetLastPInvokeError(), name);
                        }

                        if (n < buffer.Length)
                        {
                            return new RawPath(buffer.AsSpan(0, (int)n));
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                size = checked(size * 4);
            }
        }
    }

    /// <summary>mkdirat(2); the mode is filtered by the umask.</summary>
    public static void MakeDirectoryAt(FileDescriptor directory, RawPath name, uint mode)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.mkdirat(lease.Fd, p, mode), "mkdirat", name);
        }
    }

    /// <summary>mkfifoat(3).</summary>
    public static void MakeFifoAt(FileDescriptor directory, RawPath name, uint mode)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.mkfifoat(lease.Fd, p, mode), "mkfifoat", name);
        }
    }

    /// <summary>mknodat(2): mode includes the type bits (S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK); device in glibc makedev encoding.</summary>
    public static void MakeNodeAt(FileDescriptor directory, RawPath name, uint mode, ulong device)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.mknodat(lease.Fd, p, mode, device), "mknodat", name);
        }
    }

    /// <summary>symlinkat(2): creates <paramref name="name"/> pointing at the raw <paramref name="target"/>.</summary>
    public static void SymlinkAt(RawPath target, FileDescriptor directory, RawPath name)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* t = target.ToNulTerminated())
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.symlinkat(t, lease.Fd, p), "symlinkat", name);
        }
    }

    /// <summary>linkat(2): a hard link; a symlink as old name is linked itself unless <paramref name="followSymlink"/>.</summary>
    public static void LinkAt(FileDescriptor oldDirectory, RawPath oldName, FileDescriptor newDirectory, RawPath newName, bool followSymlink = false)
    {
        EnsureSupported();
        using var oldLease = new Lease(oldDirectory);
        using var newLease = new Lease(newDirectory);
        fixed (byte* o = oldName.ToNulTerminated())
        fixed (byte* n = newName.ToNulTerminated())
        {
            Check(LibC.linkat(oldLease.Fd, o, newLease.Fd, n, followSymlink ? LibC.AtSymlinkFollow : 0), "linkat", newName);
        }
    }

    /// <summary>unlinkat(2): removes a name (an empty directory with <paramref name="directoryEntry"/>).</summary>
    public static void UnlinkAt(FileDescriptor directory, RawPath name, bool directoryEntry = false)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.unlinkat(lease.Fd, p, directoryEntry ? LibC.AtRemoveDir : 0), "unlinkat", name);
        }
    }

    /// <summary>renameat(2).</summary>
    public static void RenameAt(FileDescriptor oldDirectory, RawPath oldName, FileDescriptor newDirectory, RawPath newName)
    {
        EnsureSupported();
        using var oldLease = new Lease(oldDirectory);
        using var newLease = new Lease(newDirectory);
        fixed (byte* o = oldName.ToNulTerminated())
        fixed (byte* n = newName.ToNulTerminated())
        {
            Check(LibC.renameat(oldLease.Fd, o, newLease.Fd, n), "renameat", newName);
        }
    }

    // ---- metadata ----

    /// <summary>fchownat(2); by default changes a symlink itself, not its target.</summary>
    public static void ChownAt(FileDescriptor directory, RawPath name, uint uid, uint gid, bool followSymlinks = false)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.fchownat(lease.Fd, p, uid, gid, followSymlinks ? 0 : LibC.AtSymlinkNoFollow), "fchownat", name);
        }
    }

    /// <summary>fchown(2) of an open descriptor.</summary>
    public static void Chown(FileDescriptor file, uint uid, uint gid)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        Check(LibC.fchown(lease.Fd, uid, gid), "fchown", null);
    }

    /// <summary>fchmodat(2) (follows symlinks: Linux cannot change a symlink's mode).</summary>
    public static void ChmodAt(FileDescriptor directory, RawPath name, uint mode)
    {
        EnsureSupported();
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.fchmodat(lease.Fd, p, mode & 0xFFF, 0), "fchmodat", name);
        }
    }

    /// <summary>fchmod(2) of an open descriptor: all 12 permission bits.</summary>
    public static void Chmod(FileDescriptor file, uint mode)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        Check(LibC.fchmod(lease.Fd, mode & 0xFFF), "fchmod", null);
    }

    /// <summary>utimensat(2) to the nanosecond; null leaves that time unchanged. By default sets a symlink's own times.</summary>
    public static void SetTimesAt(FileDescriptor directory, RawPath name, PosixTime? accessTime, PosixTime? modifyTime, bool followSymlinks = false)
    {
        EnsureSupported();
        var times = stackalloc long[4];
        FillTimes(times, accessTime, modifyTime);
        using var lease = new Lease(directory);
        fixed (byte* p = name.ToNulTerminated())
        {
            Check(LibC.utimensat(lease.Fd, p, times, followSymlinks ? 0 : LibC.AtSymlinkNoFollow), "utimensat", name);
        }
    }

    /// <summary>futimens(3) of an open descriptor, to the nanosecond.</summary>
    public static void SetTimes(FileDescriptor file, PosixTime? accessTime, PosixTime? modifyTime)
    {
        EnsureSupported();
        var times = stackalloc long[4];
        FillTimes(times, accessTime, modifyTime);
        using var lease = new Lease(file);
        Check(LibC.futimens(lease.Fd, times), "futimens", null);
    }

    private static void FillTimes(long* times, PosixTime? accessTime, PosixTime? modifyTime)
    {
        times[0] = accessTime?.Seconds ?? 0;
        times[1] = accessTime is { } a ? a.Nanoseconds : LibC.UtimeOmit;
        times[2] = modifyTime?.Seconds ?? 0;
        times[3] = modifyTime is { } m ? m.Nanoseconds : LibC.UtimeOmit;
    }

    // ---- data ----

    /// <summary>pread(2): reads up to buffer.Length bytes at offset; returns the count (0 at end of file).</summary>
    public static int PRead(FileDescriptor file, Span<byte> buffer, long offset)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = LibC.pread(lease.Fd, b, (nuint)buffer.Length, offset);
                if (n >= 0)
                {
                    return (int)n;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new PosixException("pread", errno);
                }
            }
        }
    }

    /// <summary>Reads until the buffer is full or the file ends; returns the count.</summary>
    public static int PReadFully(FileDescriptor file, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = PRead(file, buffer[total..], offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>pwrite(2) of all the data at offset (repeats short writes).</summary>
    public static void PWrite(FileDescriptor file, ReadOnlySpan<byte> data, long offset)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        fixed (byte* b = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = LibC.pwrite(lease.Fd, b + done, (nuint)(data.Length - done), offset + done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new PosixException("pwrite", errno);
                }

                done += (int)n;
            }
        }
    }

    /// <summary>ftruncate(2): sets the size; growing leaves a hole.</summary>
    public static void Truncate(FileDescriptor file, long length)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        Check(LibC.ftruncate(lease.Fd, length), "ftruncate", null);
    }

    /// <summary>fsync(2).</summary>
    public static void Sync(FileDescriptor file)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        while (LibC.fsync(lease.Fd) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new PosixException("fsync", errno);
            }
        }
    }

    /// <summary>lseek(SEEK_DATA): the next offset at or after <paramref name="offset"/> holding data, or -1 when only a hole follows.</summary>
    public static long SeekData(FileDescriptor file, long offset) => SeekOrEnd(file, offset, LibC.SeekData);

    /// <summary>lseek(SEEK_HOLE): the next hole at or after <paramref name="offset"/> (the file size counts as one), or -1 past the end.</summary>
    public static long SeekHole(FileDescriptor file, long offset) => SeekOrEnd(file, offset, LibC.SeekHole);

    private static long SeekOrEnd(FileDescriptor file, long offset, int whence)
    {
        EnsureSupported();
        using var lease = new Lease(file);
        var result = LibC.lseek(lease.Fd, offset, whence);
        if (result >= 0)
        {
            return result;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.ENXIO)
        {
            return -1;
        }

        throw new PosixException(whence == LibC.SeekData ? "lseek(SEEK_DATA)" : "lseek(SEEK_HOLE)", errno);
    }

    // ---- identity ----

    /// <summary>geteuid(2).</summary>
    public static uint EffectiveUserId
    {
        get
        {
            EnsureSupported();
            return LibC.geteuid();
        }
    }

    /// <summary>getegid(2).</summary>
    public static uint EffectiveGroupId
    {
        get
        {
            EnsureSupported();
            return LibC.getegid();
        }
    }

    /// <summary>True when running as root (may change owners, create device nodes).</summary>
    public static bool IsRoot => EffectiveUserId == 0;

    /// <summary>The process's umask (read without changing it).</summary>
    public static uint Umask
    {
        get
        {
            EnsureSupported();
            var old = LibC.umask(0x12);
            LibC.umask(old);
            return old;
        }
    }

    private static void Check(int result, string operation, RawPath? path)
    {
        if (result != 0)
        {
            throw new PosixException(operation, Marshal.GetLastPInvokeError(), path);
        }
    }

    /// <summary>Keeps a descriptor from being closed while a call uses its number.</summary>
    private readonly ref struct Lease
    {
        private readonly FileDescriptor _file;
        private readonly bool _added;

        public Lease(FileDescriptor file)
        {
            _file = file;
            _added = false;
            file.DangerousAddRef(ref _added);
            Fd = file.Value;
        }

        public int Fd { get; }

        public void Dispose()
        {
            if (_added)
            {
                _file.DangerousRelease();
            }
        }
    }
}
