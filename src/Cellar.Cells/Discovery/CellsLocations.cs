namespace Cellar.Cells.Discovery;

/// <summary>
/// Where an installation's parts are, resolved as Cells resolves them. Store locations are file
/// paths (null when the store is not a local file, e.g. a remote config); <see cref="Sources"/>
/// says for each key what decided it (<c>--cells-dir</c>, an environment variable, the flags file,
/// or <c>default</c>). <see cref="ConfigHistoryFile"/> is <c>configs-versions.db</c> beside the config.
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
    IReadOnlyList<string> Warnings)
{
    /// <summary>The BoltDB history of configuration revisions, which Cells keeps beside the config file.</summary>
    public string? ConfigHistoryFile => ConfigFile is null ? null : OsPath.Join(Os, OsPath.Parent(Os, ConfigFile) ?? WorkingDir, "configs-versions.db");

    /// <summary>True when the setting was given explicitly (not a Cells default).</summary>
    public bool IsExplicit(string key) => Sources.TryGetValue(key, out var source) && !source.StartsWith("default", StringComparison.Ordinal);
}
