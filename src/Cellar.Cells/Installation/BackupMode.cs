namespace Cellar.Cells.Installation;

/// <summary>How an installation backup treats a running Cells.</summary>
public enum BackupMode
{
    /// <summary>Cells must not be running (refuses otherwise).</summary>
    Stopped,

    /// <summary>Pass 1 while Cells serves, then stop → pass 2 (changes, stores, database) → start.</summary>
    Quiesced,

    /// <summary>No stop: each BoltDB file is read until a copy verifies; changed Bleve folders are marked rebuildable.</summary>
    Hot,
}
