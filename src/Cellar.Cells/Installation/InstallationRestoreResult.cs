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
    /// <summary>Datasources and objects services whose <c>PeerAddress</c> was removed from pydio.json.</summary>
    public IReadOnlyList<string> ClearedPeerAddresses { get; init; } = [];

    /// <summary>What the user should still check in Cells after a move (sites, external URL, …).</summary>
    public IReadOnlyList<string> ToCheck { get; init; } = [];

    public bool Succeeded => Problems.Count == 0;
}
