namespace Cellar.Repository.Model;

/// <summary>The values of a node's <c>type</c> field.</summary>
public static class NodeType
{
    public const string File = "file";
    public const string Dir = "dir";
    public const string Symlink = "symlink";
    public const string Dev = "dev";
    public const string CharDev = "chardev";
    public const string Fifo = "fifo";
    public const string Socket = "socket";
    public const string Irregular = "irregular";
}
