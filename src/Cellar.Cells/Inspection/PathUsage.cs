namespace Cellar.Cells;

/// <summary>A planned path with what it holds: bytes in regular files and the number of files.</summary>
public sealed record PathUsage(string Path, string Role, bool Exists, long Bytes, long Files);
