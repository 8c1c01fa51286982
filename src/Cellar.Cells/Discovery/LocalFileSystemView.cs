namespace Cellar.Cells.Discovery;

/// <summary>The machine's own file system.</summary>
public sealed class LocalFileSystemView : IFileSystemView
{
    public static LocalFileSystemView Instance { get; } = new();

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public string ReadAllText(string path) => File.ReadAllText(path);
}
