using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>Builds a tree node from a file's status the way restic fills its nodes on Linux.</summary>
internal static class NodeFactory
{
    /// <summary>A node from a file's status; <paramref name="name"/> is kept as it is (not copied).</summary>
    public static Node FromStatus(byte[] name, in FileStatus status)
    {
        var kind = status.Kind;
        var node = new Node
        {
            RawName = name,
            Type = kind switch
            {
                FileKind.Regular => NodeType.File,
                FileKind.Directory => NodeType.Dir,
                FileKind.Symlink => NodeType.Symlink,
                FileKind.Fifo => NodeType.Fifo,
                FileKind.Socket => NodeType.Socket,
                FileKind.CharDevice => NodeType.CharDev,
                FileKind.BlockDevice => NodeType.Dev,
                _ => NodeType.Irregular,
            },
            Mode = GoMode(status.Mode),
            ModTime = ToGoTime(status.ModifyTime),
            AccessTime = ToGoTime(status.AccessTime),
            ChangeTime = ToGoTime(status.ChangeTime),
            Uid = status.Uid,
            Gid = status.Gid,
            User = UserDatabase.UserName(status.Uid),
            Group = UserDatabase.GroupName(status.Gid),
            Inode = status.Inode,
            DeviceId = status.Device,
            Links = status.Links,
        };
        switch (kind)
        {
            case FileKind.Regular:
                node.Size = (ulong)status.Size;
                node.Content = [];
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                node.Device = status.RDevice;
                break;
        }

        return node;
    }

    /// <summary>A directory that exists only in the snapshot (parent of virtual files).</summary>
    public static Node SyntheticDirectory(ReadOnlySpan<byte> name, GoTime time) => new()
    {
        RawName = name.ToArray(),
        Type = NodeType.Dir,
        Mode = GoFileMode.Dir | FileModes.PublicDirectory,
        ModTime = time,
        AccessTime = time,
        ChangeTime = time,
        Uid = Posix.EffectiveUserId,
        Gid = Posix.EffectiveGroupId,
        User = UserDatabase.UserName(Posix.EffectiveUserId),
        Group = UserDatabase.GroupName(Posix.EffectiveGroupId),
    };

    /// <summary>A regular file that exists only in the snapshot.</summary>
    public static Node SyntheticFile(ReadOnlySpan<byte> name, uint permissions, GoTime time) => new()
    {
        RawName = name.ToArray(),
        Type = NodeType.File,
        Mode = permissions & 0x1ff,
        ModTime = time,
        AccessTime = time,
        ChangeTime = time,
        Uid = Posix.EffectiveUserId,
        Gid = Posix.EffectiveGroupId,
        User = UserDatabase.UserName(Posix.EffectiveUserId),
        Group = UserDatabase.GroupName(Posix.EffectiveGroupId),
        Links = 1,
        Content = [],
    };

    public static GoTime ToGoTime(PosixTime time) => GoTime.FromUnix(time.Seconds, time.Nanoseconds, LocalOffset.At(time.Seconds));

    /// <summary>Unix st_mode to Go's os.FileMode bits, as restic stores them.</summary>
    public static uint GoMode(uint mode)
    {
        var result = mode & 0x1ff;
        result |= FileModes.KindOf(mode) switch
        {
            FileKind.Directory => GoFileMode.Dir,
            FileKind.Symlink => GoFileMode.Symlink,
            FileKind.Fifo => GoFileMode.NamedPipe,
            FileKind.Socket => GoFileMode.Socket,
            FileKind.CharDevice => GoFileMode.Device | GoFileMode.CharDevice,
            FileKind.BlockDevice => GoFileMode.Device,
            _ => 0u,
        };
        if ((mode & FileModes.SetUid) != 0)
        {
            result |= GoFileMode.Setuid;
        }

        if ((mode & FileModes.SetGid) != 0)
        {
            result |= GoFileMode.Setgid;
        }

        if ((mode & FileModes.Sticky) != 0)
        {
            result |= GoFileMode.Sticky;
        }

        return result;
    }

    /// <summary>
    /// Whether a file may reuse the parent snapshot's content without building a node: same type,
    /// size, mtime, ctime and inode (restic's change detection).
    /// </summary>
    public static bool IsUnchanged(Node previous, in FileStatus status) =>
        previous.Type == NodeType.File
        && status.Kind == FileKind.Regular
        && previous.Content is not null
        && previous.Size == (ulong)status.Size
        && previous.Inode == status.Inode
        && previous.ModTime.UnixSeconds == status.ModifyTime.Seconds && previous.ModTime.Nanoseconds == status.ModifyTime.Nanoseconds
        && previous.ChangeTime.UnixSeconds == status.ChangeTime.Seconds && previous.ChangeTime.Nanoseconds == status.ChangeTime.Nanoseconds;

    /// <summary>
    /// Whether <see cref="FromStatus"/> would build a node that serialises exactly like
    /// <paramref name="previous"/> (content and subtree aside): then the parent's node object is
    /// reused as it is, and a directory whose nodes are all reused keeps the parent's tree id.
    /// </summary>
    public static bool HasSameMetadata(Node previous, in FileStatus status)
    {
        var kind = status.Kind;
        return previous.Mode == GoMode(status.Mode)
            && previous.Uid == status.Uid
            && previous.Gid == status.Gid
            && previous.Inode == status.Inode
            && previous.DeviceId == status.Device
            && previous.Links == status.Links
            && previous.Device == (kind is FileKind.CharDevice or FileKind.BlockDevice ? status.RDevice : 0)
            && previous.Size == (kind == FileKind.Regular ? (ulong)status.Size : 0)
            && previous.ModTime == ToGoTime(status.ModifyTime)
            && previous.AccessTime == ToGoTime(status.AccessTime)
            && previous.ChangeTime == ToGoTime(status.ChangeTime)
            && string.Equals(previous.User, UserDatabase.UserName(status.Uid), StringComparison.Ordinal)
            && string.Equals(previous.Group, UserDatabase.GroupName(status.Gid), StringComparison.Ordinal)
            && previous.RawLinkTarget is null
            && previous.ExtendedAttributes is null
            && previous.GenericAttributes is null
            && previous.Error is null;
    }

    /// <summary>Whether a file may reuse the parent snapshot's content: same type, size, mtime, ctime and inode.</summary>
    public static bool IsUnchanged(Node previous, Node current) =>
        previous.Type == NodeType.File
        && current.Type == NodeType.File
        && previous.Size == current.Size
        && previous.Inode == current.Inode
        && previous.ModTime.CompareInstant(current.ModTime) == 0
        && previous.ChangeTime.CompareInstant(current.ChangeTime) == 0
        && previous.Content is not null;
}
