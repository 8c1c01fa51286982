using System.Runtime.InteropServices;

namespace Cellar.Databases.Sqlite;

/// <summary>
/// Owner and modification time of a file through statx (one layout on every Linux architecture),
/// chown and utimensat, so a restored database file keeps the owner Cells runs as and placing it
/// leaves its folder's mtime as the file restore set it, to the nanosecond.
/// </summary>
internal static partial class FileMetadata
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const long UtimeOmit = (1L << 30) - 2;

    public static (int Uid, int Gid)? Owner(string path) =>
        Statx(path) is { } buffer ? (BitConverter.ToInt32(buffer, 20), BitConverter.ToInt32(buffer, 24)) : null;

    /// <summary>Gives the file to <paramref name="uid"/>:<paramref name="gid"/> when allowed (root); false when not.</summary>
    public static bool TrySetOwner(string path, int uid, int gid) => OperatingSystem.IsLinux() && Chown(path, uid, gid) == 0;

    /// <summary>The modification time as seconds and nanoseconds, or null.</summary>
    public static (long Seconds, long Nanoseconds)? ModifyTime(string path) =>
        Statx(path) is { } buffer ? (BitConverter.ToInt64(buffer, 112), BitConverter.ToUInt32(buffer, 120)) : null;

    /// <summary>Sets the modification time (the access time left alone).</summary>
    public static void SetModifyTime(string path, (long Seconds, long Nanoseconds) time)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Utimensat(AtFdCwd, path, [0, UtimeOmit, time.Seconds, time.Nanoseconds], 0);
        }
    }

    private static byte[]? Statx(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        return Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) == 0 ? buffer : null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Utimensat(int dirfd, string path, long[] times, int flags);
}
