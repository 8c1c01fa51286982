namespace Cellar.Cells.Installation;

/// <summary>Where an installation restore puts things, and whether it may overwrite.</summary>
public sealed record InstallationRestoreOptions
{
    /// <summary>A new working dir (relocation); null: where it was.</summary>
    public string? CellsDir { get; init; }

    /// <summary>A new data dir (relocation); null: where it was (or under the new working dir when it was under the old).</summary>
    public string? DataDir { get; init; }

    /// <summary>A new SQL DSN written into pydio.json and loaded into; null: the DSN of the restored pydio.json.</summary>
    public string? DatabaseDsn { get; init; }

    /// <summary>More folders moved elsewhere (the drill moves every path of the snapshot under its scratch folder).</summary>
    public IReadOnlyList<(string From, string To)> MoreRelocations { get; init; } = [];

    /// <summary>Overwrite non-empty targets and a database that has tables.</summary>
    public bool Force { get; init; }

    public Action<string> Log { get; init; } = _ => { };
}
