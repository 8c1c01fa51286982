namespace Cellar.Testing.Cells;

/// <summary>Variations of a generated installation that the discovery rules must handle.</summary>
public sealed record CellsInstallationOptions
{
    public static CellsInstallationOptions Default { get; } = new();

    /// <summary>
    /// The working dir as pydio.json names it (a container's <c>/var/cells</c> while the files are
    /// elsewhere on the host); null: the real working dir.
    /// </summary>
    public string? ConfigWorkingDir { get; init; }

    /// <summary>
    /// The default objects service's <c>LocalFolder</c> (with every default datasource and the
    /// <c>binaries</c>, <c>thumbs</c> and <c>versions</c> buckets) outside the working dir, at <c>root/objects</c>.
    /// </summary>
    public bool ObjectsOutsideWorkingDir { get; init; }

    /// <summary>Add a datasource on an S3 gateway objects service whose <c>StorageType</c> is the enum number 1, as Cells 3 wrote it.</summary>
    public bool NumericS3Datasource { get; init; }

    /// <summary>Add an S3 datasource at this server (a real s3rver in tests), its secret sealed in the vault under the keyring.</summary>
    public CellsS3Datasource? S3 { get; init; }

    /// <summary><c>PeerAddress</c> on datasources and objects services (a pre-v4 habit, see the v2.1 real config).</summary>
    public string? PeerAddress { get; init; } = "10.0.0.5";
}
