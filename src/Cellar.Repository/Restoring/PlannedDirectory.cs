using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// A folder the restore created or entered: its parent (null: the target itself), name, and node
/// when its metadata is restored. Held only while files planned in it or folders below it are.
/// </summary>
internal sealed class PlannedDirectory(PlannedDirectory? parent, RawPath name, string location, Node? node)
{
    public PlannedDirectory? Parent { get; } = parent;

    public RawPath Name { get; } = name;

    public string Location { get; } = location;

    public Node? Node { get; } = node;
}
