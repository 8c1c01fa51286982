namespace Cellar.Cells.Discovery;

/// <summary>The little of a file system discovery reads, so it can be tested for any OS.</summary>
public interface IFileSystemView
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    string ReadAllText(string path);

    /// <summary>Names (not paths) of the files directly in a directory; empty when it does not exist.</summary>
    IEnumerable<string> FileNames(string directory);
}
