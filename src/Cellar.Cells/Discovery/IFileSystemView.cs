namespace Cellar.Cells.Discovery;

/// <summary>The little of a file system discovery reads, so it can be tested for any OS.</summary>
public interface IFileSystemView
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    string ReadAllText(string path);
}
