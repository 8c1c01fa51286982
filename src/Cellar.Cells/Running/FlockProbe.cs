using System.Runtime.InteropServices;
using Cellar.Cells.Platform;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Cells.Running;

/// <summary>
/// Asks whether a process holds an exclusive <c>flock</c> on a file, as bbolt (and so Cells) does on
/// every BoltDB file it has open for writing: a shared, non-blocking lock on a read-only descriptor
/// fails with EWOULDBLOCK exactly then. The probe lock is released at once. The file is opened as
/// <see cref="UnlockedFile"/> opens it (no lock of .NET's own).
/// </summary>
public static class FlockProbe
{
    public static LockState Probe(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return LockState.Unknown;
        }

        if (!File.Exists(path))
        {
            return LockState.Missing;
        }

        SafeFileHandle handle;
        try
        {
            handle = UnlockedFile.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return LockState.Unknown;
        }

        using (handle)
        {
            var fd = (int)handle.DangerousGetHandle();
            if (Libc.Flock(fd, Libc.LockShared | Libc.LockNonBlocking) == 0)
            {
                Libc.Flock(fd, Libc.Unlock);
                return LockState.Free;
            }

            return Marshal.GetLastPInvokeError() == Libc.WouldBlock ? LockState.Held : LockState.Unknown;
        }
    }
}
