namespace Cellar.Cells.Installation;

/// <summary>What an installation backup does beyond the plan.</summary>
public sealed record InstallationBackupOptions
{
    public BackupMode Mode { get; init; } = BackupMode.Stopped;

    /// <summary>Stop/start commands for <see cref="BackupMode.Quiesced"/>.</summary>
    public CellsService? Service { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyList<string> ExtraTags { get; init; } = [];

    /// <summary>Leave the database out (and say why in the manifest), e.g. when no server is reachable in a demo.</summary>
    public string? SkipDatabaseBecause { get; init; }

    /// <summary>Commands whose standard output is stored in the snapshot (e.g. <c>mongodump --archive</c>); one failing fails the backup.</summary>
    public IReadOnlyList<CommandSource> DumpCommands { get; init; } = [];

    /// <summary>How many times a hot BoltDB copy is re-read before giving up on it.</summary>
    public int HotRetries { get; init; } = 25;

    /// <summary>How long to wait, after the stop command, for every store lock to be released.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where to stage the database dump and hot copies (default: the system temp folder).</summary>
    public string? StagingRoot { get; init; }

    /// <summary>Credentials for datasources given in a file (else pydio.json and the vault).</summary>
    public ObjectStorage.DatasourceCredentials DatasourceCredentials { get; init; } = ObjectStorage.DatasourceCredentials.None;

    /// <summary>Waits between attempts of a failed S3 request (null: 0.5, 1, 2, 4, 8 s).</summary>
    public IReadOnlyList<TimeSpan>? S3RetryDelays { get; init; }

    /// <summary>Run the consistency proof on the live datasources and database, from the moment of the dump.</summary>
    public bool VerifyConsistency { get; init; }

    /// <summary>Receives one line per step.</summary>
    public Action<string> Log { get; init; } = _ => { };
}
