using System.Text;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>
/// The top of a snapshot before anything is read: the paths to back up and the virtual files,
/// arranged by path component (restic stores <c>/srv/data</c> as root → srv → data, the
/// intermediate directories with their own metadata; a relative <c>sub/dir</c> as root → sub → dir).
/// </summary>
internal sealed class SourceTree
{
    private SourceTree(byte[] name, RawPath path)
    {
        Name = name;
        Path = path;
    }

    public byte[] Name { get; }

    /// <summary>The absolute file-system path this entry stands for (the root's is "/" even when only relative targets sit below it).</summary>
    public RawPath Path { get; }

    /// <summary>True when this path was given to back up (everything below it is read from disk).</summary>
    public bool IsTarget { get; private set; }

    public VirtualFile? Virtual { get; private set; }

    public SortedDictionary<byte[], SourceTree> Children { get; } = new(ByteComparer.Instance);

    public static SourceTree Build(IEnumerable<BackupTarget> targets, IEnumerable<VirtualFile> virtualFiles)
    {
        var root = new SourceTree([], new RawPath("/"u8));
        foreach (var target in targets)
        {
            var entry = root;
            var names = target.SnapshotNames();
            for (var level = 1; level <= names.Count; level++)
            {
                entry = entry.Child(names[level - 1].ToArray(), target.PathAt(level));
            }

            entry.IsTarget = true;
        }

        foreach (var file in virtualFiles)
        {
            var parts = new RawPath(Encoding.UTF8.GetBytes(file.SnapshotPath)).Split();
            if (parts.Count == 0 || parts.Any(p => p.Span.SequenceEqual(".."u8) || p.Span.SequenceEqual("."u8)))
            {
                throw new ArgumentException($"The virtual file path '{file.SnapshotPath}' must be an absolute path without '.' or '..' parts.");
            }

            var entry = root;
            foreach (var part in parts)
            {
                entry = entry.Child(part.ToArray(), entry.Path.Combine(part));
            }

            if (entry.IsTarget || entry.Virtual is not null || entry.Children.Count > 0)
            {
                throw new ArgumentException($"The virtual file '{file.SnapshotPath}' collides with another path of the backup.");
            }

            entry.Virtual = file;
        }

        return root;
    }

    /// <summary>The child entry of that name; a new one stands for <paramref name="path"/> on disk (the first target to name it decides).</summary>
    private SourceTree Child(byte[] name, RawPath path)
    {
        if (!Children.TryGetValue(name, out var child))
        {
            child = new SourceTree(name, path);
            Children.Add(name, child);
        }

        return child;
    }
}
