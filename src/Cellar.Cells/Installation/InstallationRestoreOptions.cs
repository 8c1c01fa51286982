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

    /// <summary><c>--path-map OLD=NEW</c> on restore: put what was at OLD (e.g. an external datasource folder) at NEW, and rewrite pydio.json.</summary>
    public IReadOnlyList<(string From, string To)> Moves { get; init; } = [];

    /// <summary><c>--new-host</c>: remove <c>PeerAddress</c> from pydio.json (also done whenever the installation is relocated).</summary>
    public bool NewHost { get; init; }

    /// <summary>Overwrite non-empty targets and a database that has tables.</summary>
    public bool Force { get; init; }

    /// <summary>Credentials for datasources given in a file (else those of the snapshot's pydio.json and vault).</summary>
    public ObjectStorage.DatasourceCredentials DatasourceCredentials { get; init; } = ObjectStorage.DatasourceCredentials.None;

    /// <summary>
    /// Other places for S3 datasources' objects: datasource name → <c>s3:http(s)://host[:port]/bucket[/prefix]</c>
    /// (the name "" stands for the only S3 datasource).
    /// </summary>
    public IReadOnlyDictionary<string, string> S3Targets { get; init; } = new Dictionary<string, string>();

    /// <summary>Waits between attempts of a failed S3 request (null: 0.5, 1, 2, 4, 8 s).</summary>
    public IReadOnlyList<TimeSpan>? S3RetryDelays { get; init; }

    /// <summary>Commands fed the stored output of the dump command of the same name on their standard input (e.g. <c>mongorestore --archive</c>).</summary>
    public IReadOnlyList<CommandSource> RestoreCommands { get; init; } = [];

    public Action<string> Log { get; init; } = _ => { };
}
