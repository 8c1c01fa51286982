using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Puts a node's owner, mode bits and times on what a restore made from it, the one way every
/// restore does it (the tree restore and the installation restore): owner first (chown clears
/// setuid/setgid), then all 12 mode bits, then times to the nanosecond. By descriptor where the
/// entry can be opened; symlinks, FIFOs and device nodes through their folder, never following a link.
/// </summary>
public static class NodeMetadata
{
    /// <summary>On an open file or folder.</summary>
    public static void Apply(FileDescriptor fd, Node node, bool owners)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (owners)
        {
            Posix.Chown(fd, node.Uid, node.Gid);
        }

        Posix.Chmod(fd, GoFileMode.ToPosixPermissions(node.Mode));
        Posix.SetTimes(fd, Time(node.AccessTime), Time(node.ModTime));
    }

    /// <summary>On the entry <paramref name="name"/> of a folder without opening it (a symlink keeps its own mode: Linux has none to set).</summary>
    public static void ApplyAt(FileDescriptor directory, RawPath name, Node node, bool owners)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (owners)
        {
            Posix.ChownAt(directory, name, node.Uid, node.Gid);
        }

        if (node.Type != NodeType.Symlink)
        {
            Posix.ChmodAt(directory, name, GoFileMode.ToPosixPermissions(node.Mode));
        }

        Posix.SetTimesAt(directory, name, Time(node.AccessTime), Time(node.ModTime));
    }

    /// <summary>
    /// On the entry at <paramref name="path"/>; its last component is never followed (O_NOFOLLOW):
    /// a symlink gets the node's owner and times itself, anything else by descriptor. Throws
    /// <see cref="PosixException"/> (ELOOP) when a folder or file node meets a symlink there.
    /// </summary>
    public static void ApplyToPath(string path, Node node, bool owners)
    {
        ArgumentNullException.ThrowIfNull(node);
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (node.Type is NodeType.Symlink or NodeType.Fifo or NodeType.Dev or NodeType.CharDev)
        {
            var parent = Path.GetDirectoryName(full) ?? "/";
            using var directory = Posix.Open(RawPath.FromString(parent), OpenFlags.ReadOnly | OpenFlags.Directory);
            ApplyAt(directory, RawPath.FromString(Path.GetFileName(full)), node, owners);
            return;
        }

        var flags = OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.NoCtty | (node.IsDirectory ? OpenFlags.Directory : 0);
        using var fd = Posix.Open(RawPath.FromString(full.Length == 0 ? "/" : full), flags);
        Apply(fd, node, owners);
    }

    internal static PosixTime Time(GoTime time) => new(time.UnixSeconds, (uint)time.Nanoseconds);
}
