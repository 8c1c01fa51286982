namespace Cellar.Cells.Discovery;

/// <summary>
/// Where an installation's parts are, resolved as Cells resolves them. Store locations are file
/// paths (null when the store is not a local file, e.g. a remote config); <see cref="Sources"/>
/// says for each what decided it (flag, environment variable, flags file, or default).
/// </summary>
public sealed record CellsLocations(
    CellsOs Os,
    string WorkingDir,
    string DataDir,
    string LogDir,
    string ServicesDir,
    string? ConfigFile,
    string? VaultFile,
    string? KeyringFile,
    string? CertsStore,
    string? FlagsFile,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<string> Warnings);
