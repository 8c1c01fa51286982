namespace Cellar.Cells;

/// <summary>
/// How to move an installation: old → new folder pairs (working dir, data dir, external
/// datasource folders …) and optionally a new SQL DSN replacing the old one.
/// </summary>
public sealed record ConfigRelocation(IReadOnlyList<(string From, string To)> Folders, string? NewDsn = null);
