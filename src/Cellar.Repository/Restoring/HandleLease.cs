using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>A descriptor kept open (reference-counted) until disposed, even if its cache evicts it meanwhile.</summary>
internal readonly struct HandleLease : IDisposable
{
    public HandleLease(FileDescriptor fd)
    {
        var added = false;
        fd.DangerousAddRef(ref added);
        Fd = fd;
    }

    public FileDescriptor Fd { get; }

    public void Dispose() => Fd?.DangerousRelease();
}
