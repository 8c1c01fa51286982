using System.Text.RegularExpressions;
using Cellar.Repository.Platform;

namespace Cellar.Cli;

/// <summary>
/// Errors of the operating system (disk full, quota, read-only file system, permission denied,
/// input/output error) as one sentence naming the cause, the path and what to do, wherever in the
/// program they happened: .NET puts the errno in <see cref="Exception.HResult"/> on Unix, and the
/// engine's own calls raise <see cref="PosixException"/> with it.
/// </summary>
internal static partial class SystemErrors
{
    private const int EPERM = 1;
    private const int EIO = 5;
    private const int EACCES = 13;
    private const int ENOSPC = 28;
    private const int EROFS = 30;
    private const int EDQUOT = 122;

    /// <summary>The sentence for a system error, or null when <paramref name="exception"/> is not one.</summary>
    public static string? Describe(Exception exception)
    {
        var errno = exception switch
        {
            UnauthorizedAccessException => EACCES,
            PosixException posix => posix.Errno,
            IOException io => io.HResult,
            _ => 0,
        };
        var path = PathOf(exception);
        var where = path is null ? "" : $" ({path})";
        return errno switch
        {
            ENOSPC => $"no space left on the device{where}: free space there or use a repository on another disk, then run the command again.",
            EDQUOT => $"disk quota exceeded{where}: raise the quota or free space, then run the command again.",
            EROFS => $"read-only file system{where}: remount it read-write or choose another location.",
            EACCES or EPERM => $"permission denied{where}: run as a user allowed to access it (often root) or fix its permissions.",
            EIO => $"input/output error{where}: the disk or its connection is failing; check the system log (dmesg) before retrying.",
            _ => null,
        };
    }

    private static string? PathOf(Exception exception)
    {
        if (exception is PosixException { FilePath: { } raw })
        {
            return raw.ToString();
        }

        var quoted = Quoted().Match(exception.Message);
        return quoted.Success ? quoted.Groups[1].Value : null;
    }

    [GeneratedRegex("'(/[^']*)'")]
    private static partial Regex Quoted();
}
