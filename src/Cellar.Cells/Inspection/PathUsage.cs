namespace Cellar.Cells;

/// <summary>A planned path with what it holds: bytes in regular files and the number of files.</summary>
public sealed record PathUsage(string Path, string Role, bool Exists, long Bytes, long Files)
{
    /// <summary>What named the path: a default, an environment variable, the flags file, or a pydio.json key.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The path as the configuration writes it, when a path map translated it.</summary>
    public string? ConfigPath { get; init; }
}
