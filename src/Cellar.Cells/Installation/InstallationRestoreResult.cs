namespace Cellar.Cells.Installation;

/// <summary>What an installation restore did; <see cref="Problems"/> empty means everything is back and sound.</summary>
public sealed record InstallationRestoreResult(
    InstallationManifest Manifest,
    IReadOnlyList<(string From, string To)> Placed,
    string ConfigFile,
    string? KeptOriginalConfig,
    long TablesLoaded,
    long RowsLoaded,
    int StoresVerified,
    IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}
