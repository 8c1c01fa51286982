namespace Cellar.Cells.Discovery;

/// <summary>The operating system whose conventions decide where Cells keeps its files.</summary>
public enum CellsOs
{
    Linux,
    FreeBsd,
    MacOs,
    Windows,
}
