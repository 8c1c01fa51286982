namespace Cellar.Repository.Platform;

/// <summary>A failed C library call: the operation, the path it concerned, and the errno.</summary>
public sealed class PosixException : IOException
{
    public PosixException(string operation, int errno, RawPath? path = null)
        : base(Describe(operation, errno, path))
    {
        Operation = operation;
        Errno = errno;
        FilePath = path;
        HResult = errno;
    }

    /// <summary>The C function that failed, e.g. "openat".</summary>
    public string Operation { get; }

    /// <summary>The errno value (see <see cref="Errno"/> for names).</summary>
    public int Errno { get; }

    /// <summary>The path concerned, when there is one.</summary>
    public RawPath? FilePath { get; }

    public bool IsNotFound => Errno == Platform.Errno.ENOENT;

    public bool AlreadyExists => Errno == Platform.Errno.EEXIST;

    private static string Describe(string operation, int errno, RawPath? path)
    {
        var reason = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return path is { } p
            ? $"{operation} {p}: {reason} (errno {errno})"
            : $"{operation}: {reason} (errno {errno})";
    }
}
