using System.Text.Json;
using System.Text.Json.Nodes;
using Cellar.Testing.Bolt;

namespace Cellar.Testing.Cells;

/// <summary>
/// A generated Cells installation whose pydio.json takes its shape from real configurations
/// (<c>../shared/fixtures/cells/real/</c>: the v4.0 mock of <c>common/config/mock/mock.go</c> and the
/// v2.1 config of <c>cmd/config_test.go</c>): datasources with <c>ApiKey</c>/<c>ApiSecret</c> (a vault
/// id), <c>ObjectsPort</c>, <c>normalize</c>, <c>PeerAddress</c>; the internal <c>thumbnails</c> and
/// <c>versions</c> datasources (<c>cellsInternal</c>) in the <c>thumbs</c>/<c>versions</c> buckets;
/// <c>pydio.docstore-binaries</c>, <c>pydio.thumbs_store</c>, <c>pydio.versions-store</c>; an
/// external LOCAL datasource on a second objects service outside the working dir (with its own
/// <c>.minio.sys</c>); BoltDB stores (real ones when the BoltDB writer is available) and a Bleve
/// folder; vault, keyring, certs, logs, and <c>configs-versions.db</c> beside pydio.json.
/// </summary>
public sealed class CellsInstallation
{
    /// <summary>The endpoint of the numeric-StorageType S3 datasource: a closed port on loopback (connection refused at once).</summary>
    public const string UnreachableS3Endpoint = "http://127.0.0.1:9";

    public required string WorkingDir { get; init; }
    public required string ExternalFolder { get; init; }
    public required string ConfigFile { get; init; }
    public required string Dsn { get; init; }
    public required CellsShape Shape { get; init; }
    public required IReadOnlyList<string> BoltFiles { get; init; }

    /// <summary>The default objects service's folder (the data dir, or <c>root/objects</c>).</summary>
    public required string ObjectsFolder { get; init; }

    /// <summary>The working dir as pydio.json names it.</summary>
    public required string ConfigWorkingDir { get; init; }

    public string ExternalDatasource => Path.Combine(ExternalFolder, "external");

    /// <summary>Creates the installation under <paramref name="root"/> (working dir <c>root/cells</c>, external folder <c>root/ext</c>).</summary>
    public static async Task<CellsInstallation> CreateAsync(string root, CellsShape shape, string dsn, bool realBoltStores = false, string? workingDir = null, CancellationToken cancellationToken = default, CellsInstallationOptions? options = null)
    {
        options ??= CellsInstallationOptions.Default;
        var wd = workingDir ?? Path.Combine(root, "cells");
        var ext = Path.Combine(root, "ext");
        var objects = options.ObjectsOutsideWorkingDir ? Path.Combine(root, "objects") : Path.Combine(wd, "data");
        Directory.CreateDirectory(wd);
        foreach (var bucket in new[] { "pydiods1", "personal", "cellsdata", "thumbs", "versions" })
        {
            Write(Path.Combine(objects, bucket, ".pydio"), "{\"uuid\":\"" + bucket + "\"}");
        }

        Write(Path.Combine(objects, "pydiods1", "welcome.txt"), "Hello from Cells\n");
        Write(Path.Combine(objects, "pydiods1", "docs", "report.bin"), new string('x', 10_000));
        Write(Path.Combine(objects, "thumbs", "b1c2d3e4-0000-4000-8000-000000000001-256.jpg"), "thumbnail");
        Write(Path.Combine(objects, "versions", "b1c2d3e4-0000-4000-8000-000000000001", "v1"), "old version");
        Write(Path.Combine(objects, "binaries", "users", "admin-avatar.png"), "avatar");
        Write(Path.Combine(objects, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        Write(Path.Combine(ext, "external", "3f6c1a2e-0b8d-4c52-9c3e-6b1b1a8f2d11"), "flat file content");
        Write(Path.Combine(ext, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        // A real keyring and vault (CellsVaultWriter seals as Cells does); with options.S3 the vault holds its secret.
        var master = CellsVaultWriter.NewMasterKey();
        var secrets = new Dictionary<string, string> { ["f00de219-1834-4787-a722-9cb75d11ee17"] = "local-secret" };
        if (options.S3 is { } s3Secret)
        {
            secrets[CellsS3Datasource.VaultEntry] = s3Secret.SecretKey;
        }

        Write(Path.Combine(wd, "pydio-vault.json"), CellsVaultWriter.VaultJson(master, secrets));
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

        // pydio.json names the paths as Cells sees them: the working dir, or a container's.
        var configWd = options.ConfigWorkingDir ?? wd;
        string Named(string hostPath) => hostPath.StartsWith(wd, StringComparison.Ordinal) ? configWd + hostPath[wd.Length..] : hostPath;
        var layout = new Layout(configWd, Named(objects), ext, options);
        var config = shape switch
        {
            CellsShape.V4 => V4Config(layout, dsn),
            CellsShape.V5 => V5Config(layout, dsn),
            _ => V5FreshConfig(layout, dsn, inline: shape == CellsShape.V5FreshInline),
        };
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
            ObjectsFolder = objects,
            ConfigWorkingDir = configWd,
        };
    }

    /// <summary>The paths pydio.json writes: working dir and objects folder as Cells sees them.</summary>
    private sealed record Layout(string WorkingDir, string Objects, string External, CellsInstallationOptions Options);

    private static JsonObject Services(Layout l)
    {
        const string apiKey = "qdambpVlABRTHyl5";
        const string apiSecret = "f00de219-1834-4787-a722-9cb75d11ee17";
        JsonObject Local(string name, string objects, string bucket, string folder, int port, bool internalSource = false)
        {
            var storage = new JsonObject { ["folder"] = folder, ["normalize"] = "true" };
            if (internalSource)
            {
                storage["cellsInternal"] = "true";
            }

            var ds = new JsonObject
            {
                ["ApiKey"] = apiKey,
                ["ApiSecret"] = apiSecret,
                ["FlatStorage"] = true,
                ["Name"] = name,
                ["ObjectsBucket"] = bucket,
                ["ObjectsPort"] = port,
                ["ObjectsServiceName"] = objects,
                ["StorageConfiguration"] = storage,
            };
            if (l.Options.PeerAddress is { } peer)
            {
                ds["PeerAddress"] = peer;
            }

            return ds;
        }

        JsonObject ObjectsService(string name, string folder, int port)
        {
            var o = new JsonObject { ["ApiKey"] = apiKey, ["ApiSecret"] = apiSecret, ["LocalFolder"] = folder, ["Name"] = name, ["RunningPort"] = port };
            if (l.Options.PeerAddress is { } peer)
            {
                o["PeerAddress"] = peer;
            }

            return o;
        }

        var names = new List<string> { "pydiods1", "personal", "cellsdata", "versions", "thumbnails", "external" };
        var objectsNames = new List<string> { "local1", "local2" };
        var result = new JsonObject
        {
            ["pydio.docstore-binaries"] = new JsonObject { ["bucket"] = "binaries", ["datasource"] = "default" },
            ["pydio.thumbs_store"] = new JsonObject { ["bucket"] = "thumbs", ["datasource"] = "thumbnails" },
            ["pydio.versions-store"] = new JsonObject { ["bucket"] = "versions", ["datasource"] = "versions" },
            ["pydio.grpc.data.objects.local1"] = ObjectsService("local1", l.Objects, 55417),
            ["pydio.grpc.data.objects.local2"] = ObjectsService("local2", l.External, 55418),
            ["pydio.grpc.data.sync.pydiods1"] = Local("pydiods1", "local1", "pydiods1", l.Objects + "/pydiods1", 55417),
            ["pydio.grpc.data.sync.personal"] = Local("personal", "local1", "personal", l.Objects + "/personal", 55417),
            ["pydio.grpc.data.sync.cellsdata"] = Local("cellsdata", "local1", "cellsdata", l.Objects + "/cellsdata", 55417),
            ["pydio.grpc.data.sync.versions"] = Local("versions", "local1", "versions", l.Objects + "/versions", 55417, internalSource: true),
            ["pydio.grpc.data.sync.thumbnails"] = Local("thumbnails", "local1", "thumbs", l.Objects + "/thumbs", 55417, internalSource: true),
            ["pydio.grpc.data.sync.external"] = Local("external", "local2", "external", l.External + "/external", 55418),
            ["pydio.grpc.data.index.pydiods1"] = new JsonObject { ["dsn"] = "default", ["tables"] = new JsonObject { ["commits"] = "data_pydiods1_commits", ["nodes"] = "data_pydiods1_nodes", ["tree"] = "data_pydiods1_tree" } },
            ["pydio.grpc.mailer"] = new JsonObject { ["queue"] = new JsonObject { ["@value"] = "boltdb" }, ["sender"] = new JsonObject { ["@value"] = "disabled" } },
        };
        if (l.Options.NumericS3Datasource)
        {
            // As in the Cells 3.0.10 config of common/config/migrations/4.0.1_test.go: an S3 gateway with "StorageType": 1.
            // Its public endpoint becomes a closed loopback port: tests never contact a host outside this machine.
            names.Add("archive");
            objectsNames.Insert(0, "gateway1");
            result["pydio.grpc.data.objects.gateway1"] = new JsonObject
            {
                ["ApiKey"] = "004d4aaf216b8660000000001",
                ["ApiSecret"] = "de04dad2-7b94-4f2d-8f0d-6757b7c0a617",
                ["EndpointUrl"] = UnreachableS3Endpoint,
                ["GatewayConfiguration"] = new JsonObject { ["signatureVersion"] = "v4" },
                ["Name"] = "gateway1",
                ["RunningPort"] = 9001,
                ["StorageType"] = 1,
            };
            result["pydio.grpc.data.sync.archive"] = new JsonObject
            {
                ["ApiKey"] = "004d4aaf216b8660000000001",
                ["ApiSecret"] = "de04dad2-7b94-4f2d-8f0d-6757b7c0a617",
                ["Name"] = "archive",
                ["ObjectsBucket"] = "cells-archive",
                ["ObjectsPort"] = 9001,
                ["ObjectsServiceName"] = "gateway1",
                ["StorageType"] = 1,
                ["StorageConfiguration"] = new JsonObject { ["customEndpoint"] = UnreachableS3Endpoint },
            };
        }

        if (l.Options.S3 is { } s3)
        {
            // As Cells writes an S3 datasource: numeric StorageType 1, ApiSecret naming its vault entry.
            names.Add(s3.Name);
            result["pydio.grpc.data.sync." + s3.Name] = new JsonObject
            {
                ["Name"] = s3.Name,
                ["StorageType"] = 1,
                ["ObjectsServiceName"] = "gateway-" + s3.Name,
                ["ObjectsBucket"] = s3.Bucket,
                ["ObjectsBaseFolder"] = s3.Prefix,
                ["ApiKey"] = s3.AccessKey,
                ["ApiSecret"] = CellsS3Datasource.VaultEntry,
                ["StorageConfiguration"] = new JsonObject { ["customEndpoint"] = s3.Endpoint, ["customRegion"] = "us-east-1", ["signatureVersion"] = "v4" },
            };
        }

        objectsNames.Add("updated:1668512540");
        result["pydio.grpc.data.sync"] = new JsonObject { ["sources"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) };
        result["pydio.grpc.data.index"] = new JsonObject { ["sources"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) };
        result["pydio.grpc.data.objects"] = new JsonObject { ["sources"] = new JsonArray([.. objectsNames.Select(n => (JsonNode)n)]) };
        return result;
    }

    private static JsonObject Defaults(JsonNode database) => new()
    {
        ["database"] = database,
        ["datasource"] = "pydiods1",
        ["sites"] = new JsonArray(new JsonObject { ["Binds"] = new JsonArray("0.0.0.0:8080"), ["ReverseProxyURL"] = "https://files.example.com", ["TLSConfig"] = new JsonObject { ["SelfSigned"] = new JsonObject() } }),
    };

    private static JsonObject V4Config(Layout l, string dsn)
    {
        // v4 (upgraded layout of common/config/mock/mock.go): absolute boltdb entries per service.
        var services = l.WorkingDir + "/services";
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(dsn)));
        return new JsonObject
        {
            ["version"] = "4.4.15",
            ["databases"] = new JsonObject
            {
                [key] = new JsonObject { ["driver"] = "mysql", ["dsn"] = dsn },
                ["pydio.grpc.activity"] = new JsonObject { ["driver"] = "boltdb", ["dsn"] = services + "/pydio.grpc.activity/activities.db" },
                ["pydio.grpc.docstore"] = new JsonObject { ["driver"] = "boltdb", ["dsn"] = services + "/pydio.grpc.docstore/docstore.db" },
                ["pydio.grpc.search"] = new JsonObject { ["driver"] = "bleve", ["dsn"] = services + "/pydio.grpc.search/searchengine.bleve" },
            },
            ["defaults"] = Defaults(new JsonObject { ["$ref"] = "#/databases/" + key }),
            ["services"] = Services(l),
        };
    }

    private static JsonObject V5Config(Layout l, string dsn)
    {
        // v5: stores are templates resolved under the services dir (docs/cells.md), found by scanning.
        return new JsonObject
        {
            ["version"] = "5.0.0",
            ["databases"] = new JsonObject
            {
                ["default"] = new JsonObject { ["driver"] = "mysql", ["dsn"] = "mysql://" + dsn + "&prefix={{.Meta.prefix}}&policies={{.Meta.policies}}&singular={{.Meta.singular}}" },
                ["boltdb"] = new JsonObject { ["driver"] = "bolt", ["dsn"] = "boltdb://{{ autoMkdir (serviceDataDir .Service) }}/{{ .Meta.file }}" },
                ["bleve"] = new JsonObject { ["driver"] = "bleve", ["dsn"] = "bleve://{{ autoMkdir (serviceDataDir .Service) }}/{{ .Meta.file }}?rotationSize=-1" },
            },
            ["defaults"] = Defaults(new JsonObject { ["$ref"] = "#/databases/default" }),
            ["services"] = Services(l),
        };
    }

    /// <summary><paramref name="dsn"/> is the whole DSN with its scheme (<c>mysql://</c>, <c>postgres://</c>, <c>sqlite://</c>); Cells' template parameters are appended.</summary>
    private static JsonObject V5FreshConfig(Layout l, string dsn, bool inline)
    {
        var config = V5Config(l, dsn);
        var full = dsn + (dsn.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "prefix={{.Meta.prefix}}&policies={{.Meta.policies}}&singular={{.Meta.singular}}";
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(full)));
        var databases = (JsonObject)config["databases"]!;
        databases.Remove("default");
        databases[id] = new JsonObject { ["driver"] = "sql", ["dsn"] = full };
        config["defaults"] = Defaults(inline ? new JsonObject { ["driver"] = "sql", ["dsn"] = full } : new JsonObject { ["$ref"] = "#/databases/" + id });
        return config;
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
