using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cellar.Cells.Installation;

/// <summary>
/// What an installation snapshot holds, written inside it as <see cref="SnapshotLayout.Manifest"/>:
/// enough to put every part back where it was (or somewhere new) without looking at the machine.
/// </summary>
public sealed record InstallationManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public string? CellsVersion { get; init; }
    public required string Hostname { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string Mode { get; init; }
    public required string WorkingDir { get; init; }
    public required string DataDir { get; init; }
    public required string ConfigFile { get; init; }

    /// <summary>The vault and keyring files (S3 datasource secrets are read from the snapshot's copies at restore).</summary>
    public string? VaultFile { get; init; }
    public string? KeyringFile { get; init; }
    public required IReadOnlyList<ManifestPath> Paths { get; init; }

    /// <summary>The SQL DSN without its password.</summary>
    public required string Dsn { get; init; }

    /// <summary>The engine that dumped the database (<c>mysql</c>, <c>postgres</c>, <c>sqlite</c>; absent in manifests older than engines: mysql).</summary>
    public string DatabaseEngine { get; init; } = "mysql";
    public required string DatabaseName { get; init; }
    public string? DatabaseServer { get; init; }
    public bool DatabaseIncluded { get; init; }
    public string? DatabaseSkippedBecause { get; init; }
    public IReadOnlyList<ManifestTable> Tables { get; init; } = [];
    public required IReadOnlyList<ManifestDatasource> Datasources { get; init; }
    public required IReadOnlyList<ManifestStore> Stores { get; init; }

    /// <summary>S3 datasources whose objects are in the snapshot (older snapshots: none).</summary>
    public IReadOnlyList<ManifestS3Datasource> S3Datasources { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>MongoDB databases the installation keeps document stores in (Cellar cannot read them itself).</summary>
    public IReadOnlyList<ManifestMongoStore> MongoStores { get; init; } = [];

    /// <summary>The output of each dump command stored in the snapshot (under <see cref="SnapshotLayout.Commands"/>).</summary>
    public IReadOnlyList<ManifestCommand> Commands { get; init; } = [];

    /// <summary>
    /// The <c>--path-map</c> the backup used (configuration path → host path): the snapshot holds host
    /// paths and restore puts files there, while pydio.json keeps the configuration's (container's) paths.
    /// </summary>
    public IReadOnlyList<ManifestPathMapping> PathMap { get; init; } = [];

    /// <summary>What the configuration names that this snapshot does not hold (excluded or not included datasources).</summary>
    public IReadOnlyList<ManifestLeftOut> LeftOut { get; init; } = [];

    /// <summary>The consistency proof run at backup time (--verify-consistency), or null when it was not asked for.</summary>
    public IReadOnlyList<Consistency.ConsistencyFinding>? Consistency { get; init; }

    /// <summary>Wall time of the whole backup (both passes when quiesced), in seconds.</summary>
    public double BackupSeconds { get; init; }

    /// <summary>How long Cells was stopped, in seconds (0 when it was not stopped by Cellar).</summary>
    public double DowntimeSeconds { get; init; }

    /// <summary>False when something could not be stored sound (see <see cref="Stores"/>).</summary>
    public bool Complete { get; init; } = true;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, InstallationManifestJson.Default.InstallationManifest);

    public static InstallationManifest FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, InstallationManifestJson.Default.InstallationManifest)
        ?? throw new InvalidDataException("The installation manifest is empty.");
}

/// <summary>A folder or file the snapshot holds at its absolute path, with its owner and mode.</summary>
public sealed record ManifestPath(string Path, string Role, bool IsDirectory)
{
    /// <summary>What named the path (a default, an environment variable, a pydio.json key).</summary>
    public string? Origin { get; init; }

    /// <summary>The path as the configuration writes it, when a path map translated it.</summary>
    public string? ConfigPath { get; init; }
}

/// <summary>One <c>--path-map</c>: the configuration's (container's) path and the host's.</summary>
public sealed record ManifestPathMapping(string ConfigPath, string HostPath);

/// <summary>A part left out of the snapshot: <see cref="Kind"/> <c>excluded</c> or <c>not-included</c>, with why (and, for object storage, where).</summary>
public sealed record ManifestLeftOut(string Kind, string Name, string Reason, string? StorageType = null, string? Bucket = null, string? Endpoint = null);

/// <summary>
/// One table of the database dump: how many rows it held, and the SHA-256 of its dump stream
/// (computed as it was written; the drill dumps the loaded table again and compares).
/// </summary>
public sealed record ManifestTable(string Name, long Rows, string Stream, string? Sha256 = null);

/// <summary>A MongoDB database of the installation and the services that keep their data there; <see cref="Included"/> when a dump command ran.</summary>
public sealed record ManifestMongoStore(string Key, string Dsn, IReadOnlyList<string> Services, bool Included)
{
    /// <summary>One line naming each MongoDB database and the services that keep their data there.</summary>
    public static string Describe(IEnumerable<ManifestMongoStore> stores) =>
        string.Join("; ", stores.Select(m => $"databases.{m.Key} ({m.Dsn}) used by {(m.Services.Count == 0 ? "no service named in pydio.json" : string.Join(", ", m.Services))}"));
}

/// <summary>A dump command whose standard output the snapshot holds at <see cref="Stream"/>; the command line itself is not kept (it may hold a password).</summary>
public sealed record ManifestCommand(string Name, string Stream);

/// <summary>A datasource of the installation (non-local ones are listed, not backed up).</summary>
public sealed record ManifestDatasource(string Name, string StorageType, string? Folder, bool FlatStorage, bool BackedUp)
{
    /// <summary>A Cells-internal datasource (thumbnails, versions): its objects are not named by the index.</summary>
    public bool Internal { get; init; }
}

/// <summary>
/// A BoltDB file or Bleve folder and what Cellar established about it. <see cref="Status"/>:
/// <c>verified</c> (BoltDB walked sound), <c>unchanged</c> (Bleve stable during the copy),
/// <c>rebuildable</c> (Bleve changed under a hot copy: Cells must reindex it),
/// <c>missing</c>, or <c>torn</c> (never read sound; not stored).
/// </summary>
public sealed record ManifestStore(string Path, string Kind, string Status, string? StoredAt = null, string? Detail = null, uint? Uid = null, uint? Gid = null, uint? Mode = null, long? ModifiedUnixNanoseconds = null)
{
    public bool IsSound => Status is "verified" or "unchanged" or "missing";
}

/// <summary>
/// An S3 datasource whose objects the snapshot holds under <see cref="SnapshotLayout.S3Objects"/>
/// with their listing (key, size, ETag, last-modified, content type, version id, user metadata)
/// at <see cref="Listing"/>; taken after the database dump.
/// </summary>
public sealed record ManifestS3Datasource(string Name, string Endpoint, string Bucket, string Prefix, string Region, bool PathStyle, long Objects, long Bytes, string Listing, long Downloaded, long Reused, long ChangedDuringRun);

/// <summary>Source-generated JSON metadata for <see cref="InstallationManifest"/> (no reflection: the CLI can be published ahead of time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstallationManifest))]
internal sealed partial class InstallationManifestJson : JsonSerializerContext;
