namespace Cellar.Repository;

/// <summary>What a blob holds: file content or a directory listing (tree).</summary>
public enum BlobType
{
    Data,
    Tree,
}
