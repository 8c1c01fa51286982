using Cellar.Cells.Discovery;

namespace Cellar.Cells;

/// <summary>
/// How to move an installation: old → new folder pairs (working dir, data dir, external
/// datasource folders …) and optionally a new SQL DSN replacing the old one.
/// </summary>
public sealed record ConfigRelocation(IReadOnlyList<(string From, string To)> Folders, string? NewDsn = null)
{
    /// <summary>
    /// Remove every <c>PeerAddress</c> under <c>services</c>: on a new host Cells ignores datasources
    /// and objects services whose peer is not a current one (pydio/cells issue 241).
    /// </summary>
    public bool ClearPeerAddresses { get; init; }

    public bool ChangesAnything => Folders.Count > 0 || NewDsn is not null || ClearPeerAddresses;

    /// <summary>
    /// The relocation for <c>restore --cells-dir NEW [--data-dir NEW] [--db-dsn DSN]</c>: the old
    /// working dir moves to <paramref name="newWorkingDir"/>; the data dir moves to
    /// <paramref name="newDataDir"/> when given, else along with the working dir when it was inside
    /// it (a data dir outside the working dir stays where it was); other folders keep their place.
    /// </summary>
    public static ConfigRelocation ForMove(CellsLocations old, string newWorkingDir, string? newDataDir = null, string? newDsn = null)
    {
        var folders = new List<(string, string)> { (old.WorkingDir, newWorkingDir) };
        if (newDataDir is not null)
        {
            folders.Add((old.DataDir, newDataDir));
        }

        return new ConfigRelocation(folders, newDsn);
    }
}
