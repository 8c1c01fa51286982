using Cellar.Cells.Discovery;

namespace Cellar.Cells.Tests.Discovery;

/// <summary>An in-memory file system in any OS's path conventions.</summary>
internal sealed class FakeFileSystem(CellsOs os) : IFileSystemView
{
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);

    public FakeFileSystem With(string path, string content = "")
    {
        files[path] = content;
        return this;
    }

    public bool FileExists(string path) => files.ContainsKey(path);

    public bool DirectoryExists(string path) => files.Keys.Any(f => f.StartsWith(path + (os == CellsOs.Windows ? '\\' : '/'), StringComparison.Ordinal));

    public string ReadAllText(string path) => files[path];
}
