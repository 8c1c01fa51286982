namespace Cellar.Cells;

/// <summary>A Cells file (pydio.json, a flags file) that cannot be used as it is; the message names the file.</summary>
public sealed class CellsConfigException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;
}
