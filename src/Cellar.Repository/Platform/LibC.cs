using System.Reflection;
using System.Runtime.InteropServices;

namespace Cellar.Repository.Platform;

/// <summary>
/// The raw C library entry points. Paths are NUL-terminated byte arrays (never strings), so names
/// that are not UTF-8 pass through untouched. Use <see cref="Posix"/>, which checks results.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtSymlinkFollow = 0x400;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStatsAndBirth = 0xFFF;
    public const int SeekData = 3;
    public const int SeekHole = 4;
    public const long UtimeOmit = (1L << 30) - 2;

    static LibC()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibC).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in new[] { "libc.so.6", "libc.so", "libc" })
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int openat(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial IntPtr fdopendir(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial IntPtr readdir(IntPtr dir);

    [LibraryImport(Library, SetLastError = true)]
    public static partial void rewinddir(IntPtr dir);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int closedir(IntPtr dir);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint readlinkat(int dirfd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mkdirat(int dirfd, byte* path, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mkfifoat(int dirfd, byte* path, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mknodat(int dirfd, byte* path, uint mode, ulong device);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int symlinkat(byte* target, int newdirfd, byte* linkpath);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int linkat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int unlinkat(int dirfd, byte* path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int renameat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchownat(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchmodat(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchown(int fd, uint uid, uint gid);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int utimensat(int dirfd, byte* path, long* times, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int futimens(int fd, long* times);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getpwuid_r(uint uid, byte* pwd, byte* buffer, nuint size, IntPtr* result);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getgrgid_r(uint gid, byte* grp, byte* buffer, nuint size, IntPtr* result);

    [LibraryImport(Library)]
    public static partial uint geteuid();

    [LibraryImport(Library)]
    public static partial uint getegid();

    [LibraryImport(Library)]
    public static partial uint umask(uint mask);
}
