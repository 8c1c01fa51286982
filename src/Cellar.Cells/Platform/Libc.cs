using System.Runtime.InteropServices;

namespace Cellar.Cells.Platform;

/// <summary>The few POSIX calls the Cells layer needs: open without .NET's own advisory lock, and flock.</summary>
internal static partial class Libc
{
    public const int LockShared = 1;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int Unlock = 8;

    public static int OpenReadOnlyCloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    public static int WouldBlock => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);
}
