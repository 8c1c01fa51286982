namespace Cellar.Cells.Installation;

/// <summary>Cells is running and the backup was not told how to stop it or to copy it hot.</summary>
public sealed class CellsRunningException(string message) : Exception(message);
