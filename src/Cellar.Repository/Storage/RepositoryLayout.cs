namespace Cellar.Repository.Storage;

/// <summary>
/// restic's default repository layout: <c>config</c>, <c>keys/</c>, <c>locks/</c>,
/// <c>snapshots/</c>, <c>index/</c> and packs under <c>data/xx/</c> (xx: the first two hex digits
/// of the pack name). Paths use '/' and are relative to the repository root.
/// </summary>
public static class RepositoryLayout
{
    /// <summary>The folder of a file type, without trailing slash (empty for the config file).</summary>
    public static string Directory(FileType type) => type switch
    {
        FileType.Config => "",
        FileType.Key => "keys",
        FileType.Lock => "locks",
        FileType.Snapshot => "snapshots",
        FileType.Index => "index",
        FileType.Pack => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown file type"),
    };

    /// <summary>The relative path of one file, e.g. <c>data/ab/ab12…</c> or <c>config</c>.</summary>
    public static string PathOf(FileHandle handle)
    {
        if (handle.Type == FileType.Config)
        {
            return "config";
        }

        ValidateName(handle.Name);
        return handle.Type == FileType.Pack
            ? $"data/{handle.Name[..2]}/{handle.Name}"
            : $"{Directory(handle.Type)}/{handle.Name}";
    }

    /// <summary>Names are hex IDs in practice; refuse anything that could leave its folder.</summary>
    public static void ValidateName(string name)
    {
        if (name.Length < 2 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a valid repository file name.", nameof(name));
        }
    }
}
