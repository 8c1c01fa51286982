using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Cells.Platform;

/// <summary>
/// Opens a file for reading without taking an advisory lock. .NET's FileStream takes
/// <c>flock(LOCK_SH)</c> on Unix, which fails on a BoltDB file that its writer holds with
/// <c>LOCK_EX</c> and, while held, would block that writer from opening it.
/// </summary>
internal static class UnlockedFile
{
    public static SafeFileHandle OpenRead(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        var fd = Libc.Open(path, Libc.OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                2 => new FileNotFoundException($"{path} does not exist.", path),
                13 => new UnauthorizedAccessException($"{path} cannot be read (permission denied)."),
                _ => new IOException($"{path} cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
