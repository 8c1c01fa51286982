using System.Runtime.InteropServices;

namespace Cellar.Databases.Sqlite;

/// <summary>Owner of a file through statx (same layout on every Linux architecture) and chown, so a restored database file keeps the owner Cells runs as.</summary>
internal static partial class SqliteFileOwner
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    public static (int Uid, int Gid)? Get(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        return (BitConverter.ToInt32(buffer, 20), BitConverter.ToInt32(buffer, 24));
    }

    /// <summary>Gives the file to <paramref name="uid"/>:<paramref name="gid"/> when allowed (root); false when not.</summary>
    public static bool TrySet(string path, int uid, int gid) => OperatingSystem.IsLinux() && Chown(path, uid, gid) == 0;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int uid, int gid);
}
