using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cellar.Repository.Platform;

/// <summary>User and group names for ids (getpwuid_r/getgrgid_r), cached; null when the id has no name.</summary>
public static unsafe class UserDatabase
{
    private static readonly ConcurrentDictionary<uint, string?> Users = new();
    private static readonly ConcurrentDictionary<uint, string?> Groups = new();

    public static string? UserName(uint uid) => Users.GetOrAdd(uid, static id => Lookup(id, user: true));

    public static string? GroupName(uint gid) => Groups.GetOrAdd(gid, static id => Lookup(id, user: false));

    private static string? Lookup(uint id, bool user)
    {
        Posix.EnsureSupported();
        var entry = stackalloc byte[128]; // struct passwd (48 bytes) / struct group (32 bytes); name pointer first
        for (var size = 1024; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            IntPtr result;
            int error;
            fixed (byte* b = buffer)
            {
                error = user
                    ? LibC.getpwuid_r(id, entry, b, (nuint)size, &result)
                    : LibC.getgrgid_r(id, entry, b, (nuint)size, &result);
                if (error == 0)
                {
                    if (result == IntPtr.Zero)
                    {
                        return null;
                    }

                    var namePointer = *(byte**)entry;
                    return namePointer == null ? null : Marshal.PtrToStringUTF8((IntPtr)namePointer);
                }
            }

            if (error != Errno.ERANGE)
            {
                // ENOENT, ESRCH and friends mean "no such entry" on some systems.
                return null;
            }
        }

        return null;
    }
}
