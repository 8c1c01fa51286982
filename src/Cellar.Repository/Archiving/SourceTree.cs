using System.Text;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>
/// The top of a snapshot before anything is read: the absolute paths to back up and the virtual
/// files, arranged by path component (restic stores <c>/srv/data</c> as root → srv → data, the
/// intermediate directories with their own metadata).
/// </summary>
internal sealed class SourceTree
{
    private SourceTree(byte[] name, RawPath path)
    {
        Name = name;
        Path = path;
    }

    public byte[] Name { get; }

    /// <summary>The absolute file-system path this entry stands for.</summary>
    public RawPath Path { get; }

    /// <summary>True when this path was given to back up (everything below it is read from disk).</summary>
    public bool IsTarget { get; private set; }

    public VirtualFile? Virtual { get; private set; }

    public SortedDictionary<byte[], SourceTree> Children { get; } = new(ByteComparer.Instance);

    public static SourceTree Build(IEnumerable<RawPath> targets, IEnumerable<VirtualFile> virtualFiles)
    {
        var root = new SourceTree([], new RawPath("/"u8));
        foreach (var target in targets)
        {
            var entry = root;
            foreach (var part in target.Split())
            {
                entry = entry.Child(part.ToArray());
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
                entry = entry.Child(part.ToArray());
            }

            if (entry.IsTarget || entry.Virtual is not null || entry.Children.Count > 0)
            {
                throw new ArgumentException($"The virtual file '{file.SnapshotPath}' collides with another path of the backup.");
            }

            entry.Virtual = file;
        }

        return root;
    }

    private SourceTree Child(byte[] name)
    {
        if (!Children.TryGetValue(name, out var child))
        {
            child = new SourceTree(name, Path.Combine(new RawPath(name)));
            Children.Add(name, child);
        }

        return child;
    }
}
