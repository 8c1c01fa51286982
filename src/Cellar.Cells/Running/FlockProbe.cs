using System.Runtime.InteropServices;
using Cellar.Cells.Platform;

namespace Cellar.Cells.Running;

/// <summary>
/// Asks whether a process holds an exclusive <c>flock</c> on a file, as bbolt (and so Cells) does on
/// every BoltDB file it has open for writing: a shared, non-blocking lock on a read-only descriptor
/// fails with EWOULDBLOCK exactly then. The probe lock is released at once.
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

        var fd = Libc.Open(path, Libc.OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            return LockState.Unknown;
        }

        try
        {
            if (Libc.Flock(fd, Libc.LockShared | Libc.LockNonBlocking) == 0)
            {
                Libc.Flock(fd, Libc.Unlock);
                return LockState.Free;
            }

            return Marshal.GetLastPInvokeError() == Libc.WouldBlock ? LockState.Held : LockState.Unknown;
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
