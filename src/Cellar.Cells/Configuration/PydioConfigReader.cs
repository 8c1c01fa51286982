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
        var objects = ReadObjectsServices(root);
        var datasources = ReadDatasources(path, root, objects, warnings);
        var stores = ReadStores(databases, root);
        return new PydioConfig(path, version, dbKey, driver, dsn, datasources, objects, stores, warnings)
        {
            TechnicalBuckets = ReadTechnicalBuckets(root),
            DefaultDatasource = String(root["defaults"]?["datasource"]),
            MongoStores = MongoStoreReader.Read(root),
        };
    }

    private static (string Key, string Driver, string Dsn) ResolveDefaultDatabase(string path, JsonObject root, JsonObject databases)
    {
        // Three shapes: a plain key (v2.1), {"$ref": "#/databases/KEY"} (v2.2-v4, v4 upgraded to v5),
        // or the entry itself, {"driver": "sql", "dsn": "..."}, which v5's config.SetDatabase copies
        // into defaults.database when it is unset (discovery/install/lib/database.go).
        var reference = root["defaults"]?["database"] ?? throw new CellsConfigException(path, "missing key \"defaults.database\": Cellar cannot tell which database Cells uses.");
        string key;
        JsonObject entry;
        if (reference is JsonObject inline && inline["$ref"] is null)
        {
            (key, entry) = ("", inline);
        }
        else
        {
            key = reference switch
            {
                JsonObject o when String(o["$ref"]) is { } r => r.StartsWith("#/databases/", StringComparison.Ordinal) ? r["#/databases/".Length..] : r,
                JsonValue v when String(v) is { } s => s,
                _ => throw new CellsConfigException(path, "\"defaults.database\" is neither a {\"$ref\": \"#/databases/KEY\"}, a key, nor a {\"driver\", \"dsn\"} entry."),
            };
            entry = databases[key] as JsonObject
                    ?? throw new CellsConfigException(path, $"\"defaults.database\" points to \"databases.{key}\", which does not exist.");
        }

        var dsn = String(entry["dsn"]);
        if (string.IsNullOrEmpty(dsn))
        {
            throw new CellsConfigException(path, $"missing key \"{(key.Length == 0 ? "defaults.database" : "databases." + key)}.dsn\".");
        }

        var driver = String(entry["driver"]) ?? (dsn.Contains("://", StringComparison.Ordinal) ? dsn[..dsn.IndexOf("://", StringComparison.Ordinal)] : "mysql");
        return (key, driver, dsn);
    }

    private static List<CellsDatasource> ReadDatasources(string path, JsonObject root, List<CellsObjectsService> objects, List<string> warnings)
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
            var dsKey = SyncService + "." + name;
            if (services?[dsKey] is not JsonObject ds)
            {
                // The index list also names internal sources (versions, thumbnails) that live in other datasources' buckets.
                continue;
            }

            var storage = ds["StorageConfiguration"] as JsonObject;
            var folder = String(storage?["folder"]);
            var folderKey = $"services.{dsKey}.StorageConfiguration.folder";
            var objectsName = String(ds["ObjectsServiceName"]);
            var bucket = String(ds["ObjectsBucket"]);
            var objectsService = objectsName is null ? null : objects.FirstOrDefault(o => o.Name == objectsName);

            // The datasource's own StorageType (name or enum number), else its objects service's: a
            // datasource on an S3 gateway keeps its objects with the provider.
            var type = CellsStorageType.Read(ds["StorageType"]);
            if (type == CellsStorageType.Local && objectsService is { IsLocal: false })
            {
                type = objectsService.StorageType;
            }

            var isLocal = type == CellsStorageType.Local;
            if (isLocal && string.IsNullOrEmpty(folder))
            {
                if (objectsService?.LocalFolder is not { } localFolder || bucket is null)
                {
                    throw new CellsConfigException(path, $"missing key \"{folderKey}\": Cellar cannot find the files of LOCAL datasource {name}.");
                }

                folder = localFolder.TrimEnd('/') + "/" + bucket;
                folderKey = $"services.{ObjectsService}.{objectsName}.LocalFolder + ObjectsBucket";
            }

            var endpoint = String(storage?["customEndpoint"]) ?? objectsService?.Endpoint;
            CellsS3Storage? s3 = null;
            if (type == "S3")
            {
                var objectsJson = objectsName is null ? null : services?[ObjectsService + "." + objectsName] as JsonObject;
                s3 = ReadS3(path, name, ds, storage, objectsJson);
                endpoint ??= s3.Endpoint.GetLeftPart(UriPartial.Authority);
                if (s3.BucketsRegexp is not null || s3.Bucket is null)
                {
                    warnings.Add($"datasource {name} is stored in S3 at {endpoint} across several buckets (bucketsRegexp {s3.BucketsRegexp ?? "none"}): its objects are not in the snapshot (Cellar backs up one bucket per datasource); back them up with your provider's tools.");
                }
            }
            else if (!isLocal)
            {
                warnings.Add($"datasource {name} is stored in {type}{(bucket is null ? "" : " bucket " + bucket)}{(endpoint is null ? "" : " at " + endpoint)}: its objects are not in the snapshot; back them up with your provider's tools.");
            }

            result.Add(new CellsDatasource(name, type, isLocal ? folder : null, ds["FlatStorage"]?.GetValueKind() == JsonValueKind.True, objectsName, bucket, endpoint)
            {
                FolderKey = isLocal ? folderKey : null,
                Internal = String(storage?["cellsInternal"]) == "true",
                PeerAddress = NonEmpty(String(ds["PeerAddress"])),
                ApiKey = String(ds["ApiKey"]),
                ApiSecretRef = String(ds["ApiSecret"]),
                BaseFolder = NonEmpty(String(ds["ObjectsBaseFolder"])),
                S3 = s3,
            });
        }

        return result;
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
                var type = CellsStorageType.Read(o["StorageType"]);
                result.Add(new CellsObjectsService(String(o["Name"]) ?? key[(ObjectsService.Length + 1)..], type == CellsStorageType.Local ? NonEmpty(String(o["LocalFolder"])) : null)
                {
                    StorageType = type,
                    Endpoint = NonEmpty(String(o["EndpointUrl"])),
                    PeerAddress = NonEmpty(String(o["PeerAddress"])),
                });
            }
        }

        return result;
    }

    /// <summary>The technical buckets, with Cells' defaults (binaries in the default datasource, thumbs, versions) when unnamed.</summary>
    private static List<CellsTechnicalBucket> ReadTechnicalBuckets(JsonObject root)
    {
        var services = root["services"] as JsonObject;
        var result = new List<CellsTechnicalBucket>();
        foreach (var (key, bucket, datasource) in new[] { ("pydio.docstore-binaries", "binaries", "default"), ("pydio.thumbs_store", "thumbs", "thumbnails"), ("pydio.versions-store", "versions", "versions") })
        {
            var entry = services?[key] as JsonObject;
            result.Add(new CellsTechnicalBucket(key, NonEmpty(String(entry?["bucket"])) ?? bucket, NonEmpty(String(entry?["datasource"])) ?? datasource));
        }

        return result;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

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
