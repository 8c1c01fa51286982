using System.Text.Json;
using System.Text.Json.Nodes;
using Cellar.Testing.Bolt;

namespace Cellar.Testing.Cells;

/// <summary>
/// A generated Cells-shaped installation: a working dir with pydio.json (v4 or v5 shape), vault,
/// keyring, certs, services with BoltDB stores (real ones when the BoltDB writer is available) and a
/// Bleve folder, logs, default datasources under data/ with .minio.sys, an external LOCAL datasource
/// folder outside the working dir with its own .minio.sys, and a datasource kept by a provider:
/// without <c>s3</c>, an AZURE one Cellar can only name; with it, an S3 datasource at that
/// server whose secret is sealed in the vault under a real keyring.
/// </summary>
public sealed class CellsInstallation
{
    public required string WorkingDir { get; init; }
    public required string ExternalFolder { get; init; }
    public required string ConfigFile { get; init; }
    public required string Dsn { get; init; }
    public required CellsShape Shape { get; init; }
    public required IReadOnlyList<string> BoltFiles { get; init; }

    public string ExternalDatasource => Path.Combine(ExternalFolder, "external");

    /// <summary>Creates the installation under <paramref name="root"/> (working dir <c>root/cells</c>, external folder <c>root/ext</c>).</summary>
    public static async Task<CellsInstallation> CreateAsync(string root, CellsShape shape, string dsn, bool realBoltStores = false, string? workingDir = null, CancellationToken cancellationToken = default, CellsS3Datasource? s3 = null)
    {
        var wd = workingDir ?? Path.Combine(root, "cells");
        var ext = Path.Combine(root, "ext");
        var data = Path.Combine(wd, "data");
        Directory.CreateDirectory(wd);
        foreach (var ds in new[] { "pydiods1", "personal", "cellsdata", "thumbs", "versions" })
        {
            Write(Path.Combine(data, ds, ".pydio"), "{\"uuid\":\"" + ds + "\"}");
        }

        Write(Path.Combine(data, "pydiods1", "welcome.txt"), "Hello from Cells\n");
        Write(Path.Combine(data, "pydiods1", "docs", "report.bin"), new string('x', 10_000));
        Write(Path.Combine(data, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        Write(Path.Combine(ext, "external", "3f6c1a2e-0b8d-4c52-9c3e-6b1b1a8f2d11"), "flat file content");
        Write(Path.Combine(ext, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        var master = CellsVaultWriter.NewMasterKey();
        Write(Path.Combine(wd, "pydio-vault.json"), CellsVaultWriter.VaultJson(master, s3 is null ? new Dictionary<string, string> { ["4d9f"] = "unused" } : new Dictionary<string, string> { [CellsS3Datasource.VaultEntry] = s3.SecretKey }));
        Write(Path.Combine(wd, "cells-vault-key"), CellsVaultWriter.KeyringJson(master));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(wd, "cells-vault-key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Write(Path.Combine(wd, "certs", "rootCA.pem"), "-----BEGIN CERTIFICATE-----\n");
        Write(Path.Combine(wd, "logs", "pydio.log"), "{\"level\":\"info\"}\n");
        Write(Path.Combine(wd, "services", "pydio.grpc.search", "searchengine.bleve", "index_meta.json"), "{\"storage\":\"scorch\"}");
        Write(Path.Combine(wd, "services", "pydio.grpc.search", "searchengine.bleve", "store", "000000000001.zap"), "segment");

        var services = Path.Combine(wd, "services");
        var boltFiles = new[]
        {
            Path.Combine(wd, "configs-versions.db"),
            Path.Combine(services, "pydio.grpc.activity", "activities.db"),
            Path.Combine(services, "pydio.grpc.docstore", "docstore.db"),
        };
        foreach (var file in boltFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (realBoltStores)
            {
                await BoltWriter.CreateAsync(file, "small", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Write(file, "not a real BoltDB file");
            }
        }

        var config = shape == CellsShape.V4 ? V4Config(wd, ext, dsn, s3) : V5Config(wd, ext, dsn, s3);
        var configFile = Path.Combine(wd, "pydio.json");
        Write(configFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new CellsInstallation
        {
            WorkingDir = wd,
            ExternalFolder = ext,
            ConfigFile = configFile,
            Dsn = dsn,
            Shape = shape,
            BoltFiles = realBoltStores ? boltFiles : [],
        };
    }

    private static JsonObject Services(string wd, string ext, CellsS3Datasource? s3)
    {
        var data = Path.Combine(wd, "data");
        JsonObject Local(string name, string objects, string folder, bool flat) => new()
        {
            ["Name"] = name,
            ["FlatStorage"] = flat,
            ["ObjectsServiceName"] = objects,
            ["ObjectsBucket"] = name,
            ["PeerAddress"] = "10.0.0.5",
            ["StorageConfiguration"] = new JsonObject { ["folder"] = folder, ["normalize"] = "false" },
        };
        return new JsonObject
        {
            ["pydio.grpc.data.sync"] = new JsonObject { ["sources"] = new JsonArray("pydiods1", "personal", "cellsdata", "external", "archive", "updated:1732612345") },
            ["pydio.grpc.data.index"] = new JsonObject { ["sources"] = new JsonArray("pydiods1", "personal", "cellsdata", "external", "archive", "versions", "thumbnails") },
            ["pydio.grpc.data.objects"] = new JsonObject { ["sources"] = new JsonArray("local1", "local2", "updated:1732612345") },
            ["pydio.grpc.data.objects.local1"] = new JsonObject { ["Name"] = "local1", ["LocalFolder"] = data, ["ApiKey"] = "k", ["ApiSecret"] = "5a1e4c2b-vault", ["RunningPort"] = 9001 },
            ["pydio.grpc.data.objects.local2"] = new JsonObject { ["Name"] = "local2", ["LocalFolder"] = ext, ["RunningPort"] = 9002 },
            ["pydio.grpc.data.sync.pydiods1"] = Local("pydiods1", "local1", Path.Combine(data, "pydiods1"), true),
            ["pydio.grpc.data.sync.personal"] = Local("personal", "local1", Path.Combine(data, "personal"), true),
            ["pydio.grpc.data.sync.cellsdata"] = Local("cellsdata", "local1", Path.Combine(data, "cellsdata"), false),
            ["pydio.grpc.data.sync.external"] = Local("external", "local2", Path.Combine(ext, "external"), true),
            ["pydio.grpc.data.sync.archive"] = s3 is null
                ? new JsonObject
                {
                    ["Name"] = "archive",
                    ["StorageType"] = "AZURE",
                    ["ObjectsBucket"] = "my-container",
                    ["StorageConfiguration"] = new JsonObject { ["customEndpoint"] = "https://blob.example.com" },
                }
                : new JsonObject
                {
                    // As Cells writes an S3 datasource (numeric StorageType 1, secret named by its vault entry).
                    ["Name"] = "archive",
                    ["StorageType"] = 1,
                    ["ObjectsServiceName"] = "gateway1",
                    ["ObjectsBucket"] = s3.Bucket,
                    ["ObjectsBaseFolder"] = s3.Prefix,
                    ["ApiKey"] = s3.AccessKey,
                    ["ApiSecret"] = CellsS3Datasource.VaultEntry,
                    ["StorageConfiguration"] = new JsonObject { ["customEndpoint"] = s3.Endpoint, ["customRegion"] = "us-east-1", ["signatureVersion"] = "v4" },
                },
            ["pydio.grpc.data.index.pydiods1"] = new JsonObject { ["dsn"] = "default", ["tables"] = new JsonObject { ["nodes"] = "data_pydiods1_nodes" } },
            ["pydio.grpc.log"] = new JsonObject { ["Path"] = Path.Combine(wd, "logs") },
        };
    }

    private static JsonObject V4Config(string wd, string ext, string dsn, CellsS3Datasource? s3)
    {
        var services = Path.Combine(wd, "services");
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(dsn)));
        return new JsonObject
        {
            ["version"] = "4.4.15",
            ["databases"] = new JsonObject
            {
                [key] = new JsonObject { ["driver"] = "mysql", ["dsn"] = dsn },
                ["pydio.grpc.activity"] = new JsonObject { ["driver"] = "boltdb", ["dsn"] = Path.Combine(services, "pydio.grpc.activity", "activities.db") },
                ["pydio.grpc.docstore"] = new JsonObject { ["driver"] = "boltdb", ["dsn"] = Path.Combine(services, "pydio.grpc.docstore", "docstore.db") },
                ["pydio.grpc.search"] = new JsonObject { ["driver"] = "bleve", ["dsn"] = Path.Combine(services, "pydio.grpc.search", "searchengine.bleve") },
            },
            ["defaults"] = new JsonObject
            {
                ["database"] = new JsonObject { ["$ref"] = "#/databases/" + key },
                ["sites"] = new JsonArray(new JsonObject { ["Binds"] = new JsonArray("0.0.0.0:8080"), ["ReverseProxyURL"] = "https://files.example.com" }),
            },
            ["services"] = Services(wd, ext, s3),
        };
    }

    private static JsonObject V5Config(string wd, string ext, string dsn, CellsS3Datasource? s3)
    {
        var services = Path.Combine(wd, "services");
        return new JsonObject
        {
            ["version"] = "5.0.0",
            ["databases"] = new JsonObject
            {
                ["default"] = new JsonObject { ["driver"] = "mysql", ["dsn"] = "mysql://" + dsn + "&prefix={{.Meta.prefix}}&policies={{.Meta.policies}}&singular={{.Meta.singular}}" },
                ["bolt-activity"] = new JsonObject { ["dsn"] = "boltdb://" + Path.Combine(services, "pydio.grpc.activity", "activities.db") },
                ["bolt-docstore"] = new JsonObject { ["dsn"] = "boltdb://" + Path.Combine(services, "pydio.grpc.docstore", "docstore.db") },
                ["bleve-search"] = new JsonObject { ["dsn"] = "bleve://" + Path.Combine(services, "pydio.grpc.search", "searchengine.bleve") + "?rotationSize=-1" },
            },
            ["defaults"] = new JsonObject { ["database"] = new JsonObject { ["$ref"] = "#/databases/default" } },
            ["services"] = Services(wd, ext, s3),
        };
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
