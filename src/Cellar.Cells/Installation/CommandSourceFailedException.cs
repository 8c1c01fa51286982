namespace Cellar.Cells.Installation;

/// <summary>A dump or restore command could not run or exited non-zero; the message names it and says what to do.</summary>
public sealed class CommandSourceFailedException(string message) : Exception(message);
