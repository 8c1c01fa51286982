using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cellar.Cells;

/// <summary>
/// Reads pydio.json, v4 and v5 shapes: the SQL DSN through <c>defaults.database</c> (a <c>$ref</c>
/// into <c>databases</c>, or a key), datasources from the sync service's <c>sources</c> (skipping
/// <c>updated:</c> markers) and every <c>pydio.grpc.data.sync.NAME</c>, objects services and their
/// <c>LocalFolder</c>, and BoltDB/Bleve stores (v4 <c>boltdb</c>/<c>bleve</c> drivers, v5
/// <c>boltdb://</c>/<c>bleve://</c> URIs). Malformed JSON or a missing key is a
/// <see cref="CellsConfigException"/> naming the file.
/// </summary>
public static class PydioConfigReader
{
    private const string SyncService = "pydio.grpc.data.sync";
    private const string ObjectsService = "pydio.grpc.data.objects";

    public static PydioConfig ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new CellsConfigException(path, "no Cells configuration here; give the working dir with --cells-dir or set CELLS_WORKING_DIR.");
        }

        return Read(path, File.ReadAllText(path));
    }

    public static PydioConfig Read(string path, string text)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                   ?? throw new CellsConfigException(path, "the configuration is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new CellsConfigException(path, $"the configuration is not valid JSON ({ex.Message}); fix or restore it before backing up.");
        }

        var warnings = new List<string>();
        var version = String(root["version"]);
        if (string.IsNullOrEmpty(version))
        {
            warnings.Add($"{path} has no \"version\": Cells would reinstall on start.");
        }

        var databases = root["databases"] as JsonObject ?? throw new CellsConfigException(path, "missing key \"databases\": this does not look like a configured Cells installation.");
        var (dbKey, driver, dsn) = ResolveDefaultDatabase(path, root, databases);
        var datasources = ReadDatasources(path, root, warnings);
        var objects = ReadObjectsServices(root);
        var stores = ReadStores(databases, root);
        return new PydioConfig(path, version, dbKey, driver, dsn, datasources, objects, stores, warnings);
    }

    private static (string Key, string Driver, string Dsn) ResolveDefaultDatabase(string path, JsonObject root, JsonObject databases)
    {
        var reference = root["defaults"]?["database"] ?? throw new CellsConfigException(path, "missing key \"defaults.database\": Cellar cannot tell which database Cells uses.");
        var key = reference switch
        {
            JsonObject o when String(o["$ref"]) is { } r => r.StartsWith("#/databases/", StringComparison.Ordinal) ? r["#/databases/".Length..] : r,
            JsonValue v when String(v) is { } s => s,
            _ => throw new CellsConfigException(path, "\"defaults.database\" is neither a {\"$ref\": \"#/databases/KEY\"} nor a key."),
        };
        var entry = databases[key] as JsonObject
                    ?? throw new CellsConfigException(path, $"\"defaults.database\" points to \"databases.{key}\", which does not exist.");
        var dsn = String(entry["dsn"]);
        if (string.IsNullOrEmpty(dsn))
        {
            throw new CellsConfigException(path, $"missing key \"databases.{key}.dsn\".");
        }

        var driver = String(entry["driver"]) ?? (dsn.Contains("://", StringComparison.Ordinal) ? dsn[..dsn.IndexOf("://", StringComparison.Ordinal)] : "mysql");
        return (key, driver, dsn);
    }

    private static List<CellsDatasource> ReadDatasources(string path, JsonObject root, List<string> warnings)
    {
        var services = root["services"] as JsonObject;
        var names = new List<string>();
        foreach (var listKey in new[] { SyncService, "pydio.grpc.data.index" })
        {
            if (services?[listKey]?["sources"] is JsonArray sources)
            {
                foreach (var name in sources.Select(String).OfType<string>())
                {
                    if (!name.StartsWith("updated:", StringComparison.Ordinal) && !names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        if (services is not null)
        {
            foreach (var (key, _) in services)
            {
                if (key.StartsWith(SyncService + ".", StringComparison.Ordinal) && !names.Contains(key[(SyncService.Length + 1)..]))
                {
                    names.Add(key[(SyncService.Length + 1)..]);
                }
            }
        }

        var result = new List<CellsDatasource>();
        foreach (var name in names)
        {
            if (services?[SyncService + "." + name] is not JsonObject ds)
            {
                // The index list also names internal sources (versions, thumbnails) that live in other datasources' buckets.
                continue;
            }

            var type = StorageTypeName(ds["StorageType"]);
            var storage = ds["StorageConfiguration"] as JsonObject;
            var folder = String(storage?["folder"]);
            var objectsName = String(ds["ObjectsServiceName"]);
            var bucket = String(ds["ObjectsBucket"]);
            if (type == "LOCAL" && string.IsNullOrEmpty(folder))
            {
                var localFolder = objectsName is null ? null : String(services?[ObjectsService + "." + objectsName]?["LocalFolder"]);
                if (localFolder is null || bucket is null)
                {
                    throw new CellsConfigException(path, $"missing key \"services.{SyncService}.{name}.StorageConfiguration.folder\": Cellar cannot find the files of LOCAL datasource {name}.");
                }

                folder = localFolder.TrimEnd('/') + "/" + bucket;
            }

            var endpoint = String(storage?["customEndpoint"]);
            CellsS3Storage? s3 = null;
            if (type == "S3")
            {
                var objects = objectsName is null ? null : services?[ObjectsService + "." + objectsName] as JsonObject;
                s3 = ReadS3(path, name, ds, storage, objects);
                endpoint = s3.Endpoint.ToString();
                if (s3.BucketsRegexp is not null || s3.Bucket is null)
                {
                    warnings.Add($"datasource {name} is stored in S3 at {endpoint} across several buckets (bucketsRegexp {s3.BucketsRegexp ?? "none"}): Cellar backs up one bucket per datasource and leaves its files out.");
                }
            }
            else if (type != "LOCAL")
            {
                warnings.Add($"datasource {name} is stored in {type}{(bucket is null ? "" : " bucket " + bucket)}{(endpoint is null ? "" : " at " + endpoint)}: Cellar does not back up its files; back them up with your provider's tools.");
            }

            result.Add(new CellsDatasource(name, type, type == "LOCAL" ? folder : null, ds["FlatStorage"]?.GetValueKind() == JsonValueKind.True, objectsName, bucket, endpoint) { S3 = s3 });
        }

        return result;
    }

    /// <summary>StorageType as Cells' protobuf JSON has it: a name, or its enum number (object.proto).</summary>
    private static string StorageTypeName(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number))
        {
            return number switch
            {
                0 => "LOCAL",
                1 => "S3",
                2 => "SMB",
                4 => "CELLS",
                5 => "AZURE",
                6 => "GCS",
                7 => "B2",
                8 => "MANTA",
                9 => "SIA",
                _ => "TYPE" + number,
            };
        }

        return (String(node) ?? "LOCAL").ToUpperInvariant();
    }

    /// <summary>
    /// An S3 datasource's location (keys of Cells' common/proto/object StorageKey* constants and
    /// the DataSource/MinioConfig messages): the objects service fills in what the datasource lacks.
    /// </summary>
    private static CellsS3Storage ReadS3(string path, string name, JsonObject ds, JsonObject? storage, JsonObject? objects)
    {
        var gateway = objects?["GatewayConfiguration"] as JsonObject;
        var endpointText = NonEmpty(String(storage?["customEndpoint"])) ?? NonEmpty(String(objects?["EndpointUrl"])) ?? CellsS3Storage.AmazonEndpoint;
        if (!endpointText.Contains("://", StringComparison.Ordinal))
        {
            endpointText = "https://" + endpointText;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || string.IsNullOrEmpty(endpoint.Host))
        {
            throw new CellsConfigException(path, $"\"services.{SyncService}.{name}.StorageConfiguration.customEndpoint\" ({endpointText}) is not a URL.");
        }

        bool Flag(params string[] keys) => keys.Any(k => (String(storage?[k]) ?? String(gateway?[k]) ?? storage?[k]?.ToString() ?? gateway?[k]?.ToString()) is { } t && t.Equals("true", StringComparison.OrdinalIgnoreCase));
        // Amazon itself wants virtual-host style; every other server is addressed by path, as Cells' minio client does.
        var pathStyle = Flag("pathStyle", "path_style", "forcePathStyle", "force_path_style") || !endpoint.Host.EndsWith("amazonaws.com", StringComparison.OrdinalIgnoreCase);
        return new CellsS3Storage(
            endpoint,
            NonEmpty(String(ds["ObjectsBucket"])),
            (String(ds["ObjectsBaseFolder"]) ?? "").Trim('/'),
            NonEmpty(String(storage?["customRegion"])) ?? "us-east-1",
            pathStyle,
            NonEmpty(String(ds["ApiKey"])) ?? NonEmpty(String(objects?["ApiKey"])),
            NonEmpty(String(ds["ApiSecret"])) ?? NonEmpty(String(objects?["ApiSecret"])),
            NonEmpty(String(storage?["bucketsRegexp"])));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static List<CellsObjectsService> ReadObjectsServices(JsonObject root)
    {
        var result = new List<CellsObjectsService>();
        if (root["services"] is not JsonObject services)
        {
            return result;
        }

        foreach (var (key, value) in services)
        {
            if (key.StartsWith(ObjectsService + ".", StringComparison.Ordinal) && value is JsonObject o)
            {
                result.Add(new CellsObjectsService(String(o["Name"]) ?? key[(ObjectsService.Length + 1)..], String(o["LocalFolder"])));
            }
        }

        return result;
    }

    private static List<CellsStore> ReadStores(JsonObject databases, JsonObject root)
    {
        var result = new List<CellsStore>();
        void Consider(string service, string? driver, string? dsn)
        {
            if (string.IsNullOrEmpty(dsn))
            {
                return;
            }

            var kind = (driver ?? "").ToLowerInvariant() switch
            {
                "boltdb" or "bolt" => "bolt",
                "bleve" => "bleve",
                _ => dsn.StartsWith("boltdb://", StringComparison.Ordinal) || dsn.StartsWith("bolt://", StringComparison.Ordinal) ? "bolt"
                    : dsn.StartsWith("bleve://", StringComparison.Ordinal) ? "bleve" : null,
            };
            if (kind is null)
            {
                return;
            }

            var path = dsn;
            var scheme = path.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                path = path[(scheme + 3)..];
            }

            var query = path.IndexOf('?');
            if (query >= 0)
            {
                path = path[..query];
            }

            if (path.Length > 0 && !path.Contains("{{", StringComparison.Ordinal) && result.All(s => s.Path != path))
            {
                result.Add(new CellsStore(service, kind, path));
            }
        }

        foreach (var (key, value) in databases)
        {
            if (value is JsonObject o)
            {
                Consider(key, String(o["driver"]), String(o["dsn"]));
            }
        }

        // v4 may also name stores in a service's own "dsn" beside a "driver".
        if (root["services"] is JsonObject services)
        {
            foreach (var (key, value) in services)
            {
                if (value is JsonObject o && String(o["driver"]) is { } driver)
                {
                    Consider(key, driver, String(o["dsn"]));
                }
            }
        }

        return result;
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
