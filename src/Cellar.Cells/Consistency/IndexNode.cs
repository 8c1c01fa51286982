namespace Cellar.Cells.Consistency;

/// <summary>
/// One row of a datasource's index table (<c>data_index_&lt;ds&gt;_idx_tree</c>): the node's uuid,
/// its name, whether it is a file (<c>leaf</c>), its size and etag, and its place in the tree as the
/// dotted materialized path the four <c>mpath</c> columns hold together (<c>1.4.2</c>; the root is <c>1</c>).
/// </summary>
public sealed record IndexNode(string Uuid, string Name, bool Leaf, long Size, string Etag, string MPath);
