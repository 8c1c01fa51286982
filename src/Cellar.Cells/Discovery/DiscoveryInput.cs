namespace Cellar.Cells.Discovery;

/// <summary>Everything installation discovery depends on: OS, environment, files, and the --cells-dir flag.</summary>
public sealed record DiscoveryInput(CellsOs Os, Func<string, string?> GetVariable, IFileSystemView Files, string CurrentDirectory, string? CellsDirFlag = null)
{
    /// <summary>The running process's own view.</summary>
    public static DiscoveryInput FromProcess(string? cellsDirFlag = null, Func<string, string?>? getVariable = null, string? currentDirectory = null) =>
        new(CurrentOs, getVariable ?? Environment.GetEnvironmentVariable, LocalFileSystemView.Instance, currentDirectory ?? Environment.CurrentDirectory, cellsDirFlag);

    public static CellsOs CurrentOs =>
        OperatingSystem.IsWindows() ? CellsOs.Windows
        : OperatingSystem.IsMacOS() ? CellsOs.MacOs
        : OperatingSystem.IsFreeBSD() ? CellsOs.FreeBsd
        : CellsOs.Linux;
}
