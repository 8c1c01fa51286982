using System.Runtime.InteropServices;

namespace Cellar.Repository.Platform;

/// <summary>An open file descriptor, closed on dispose. <see cref="CurrentDirectory"/> stands for AT_FDCWD.</summary>
public sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd, bool ownsHandle = true)
        : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <summary>AT_FDCWD: relative paths resolve against the process's working directory.</summary>
    public static FileDescriptor CurrentDirectory { get; } = new(LibC.AtFdCwd, ownsHandle: false);

    public override bool IsInvalid => handle == new IntPtr(-1);

    /// <summary>The number; valid only while this object is alive and not disposed.</summary>
    public int Value => (int)handle;

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
