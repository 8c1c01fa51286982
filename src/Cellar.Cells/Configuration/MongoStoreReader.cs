using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cellar.Cells;

/// <summary>
/// Finds the MongoDB databases of a pydio.json, as Cells names them: v4 installs write
/// <c>databases.mongodb-&lt;id&gt;</c> and point each service's <c>storage</c>/<c>indexer</c> key at it
/// (<c>discovery/install/lib/database.go</c>, <c>common/service/storage.go</c>); v5 writes
/// <c>databases.mongodb</c> and copies it into <c>defaults.documentsDSN</c> (<c>SetDatabase</c>), which every
/// service that supports MongoDB then uses. The driver is <c>mongodb</c>; a <c>mongodb://</c> or
/// <c>mongodb+srv://</c> DSN counts as well.
/// </summary>
internal static class MongoStoreReader
{
    /// <summary>The services Cells lets keep their data in MongoDB (Cells admin guide, "MongoDB configuration").</summary>
    private static readonly string[] DocumentServices =
    [
        "pydio.grpc.activity", "pydio.grpc.chat", "pydio.grpc.docstore", "pydio.grpc.jobs",
        "pydio.grpc.log", "pydio.grpc.mailer", "pydio.grpc.search", "pydio.grpc.versions",
    ];

    public static List<CellsMongoStore> Read(JsonObject root)
    {
        var result = new List<CellsMongoStore>();
        var databases = root["databases"] as JsonObject;
        var services = root["services"] as JsonObject;
        var documents = root["defaults"]?["documentsDSN"];
        var documentsKey = documents switch
        {
            JsonObject o when Text(o["$ref"]) is { } r => r.StartsWith("#/databases/", StringComparison.Ordinal) ? r["#/databases/".Length..] : r,
            JsonValue => Text(documents),
            _ => null,
        };
        var documentsDsn = documents is JsonObject inline ? Text(inline["dsn"]) : null;

        foreach (var (key, value) in databases ?? [])
        {
            if (value is not JsonObject entry || !IsMongo(Text(entry["driver"]), Text(entry["dsn"])))
            {
                continue;
            }

            var dsn = Text(entry["dsn"]) ?? "";
            var users = new List<string>();
            if (key.StartsWith("pydio.", StringComparison.Ordinal))
            {
                users.Add(key);
            }

            foreach (var (service, settings) in services ?? [])
            {
                if (settings is JsonObject s && (Text(s["storage"]) == key || Text(s["indexer"]) == key) && !users.Contains(service))
                {
                    users.Add(service);
                }
            }

            if (documentsKey == key || (documentsDsn is not null && documentsDsn == dsn))
            {
                users.AddRange(DocumentServices.Where(s => !users.Contains(s)));
            }

            result.Add(new CellsMongoStore(key, HidePassword(dsn), users));
        }

        // A documentsDSN written inline whose entry is gone from "databases" still sends the stores there.
        if (documents is JsonObject orphan && IsMongo(Text(orphan["driver"]), documentsDsn) && result.Count == 0)
        {
            result.Add(new CellsMongoStore("defaults.documentsDSN", HidePassword(documentsDsn ?? ""), DocumentServices));
        }

        return result;
    }

    private static bool IsMongo(string? driver, string? dsn) =>
        string.Equals(driver, "mongodb", StringComparison.OrdinalIgnoreCase)
        || (dsn is not null && (dsn.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) || dsn.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase)));

    /// <summary><c>mongodb://user:secret@host/db</c> → <c>mongodb://user:***@host/db</c>.</summary>
    internal static string HidePassword(string dsn)
    {
        var scheme = dsn.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var slash = dsn.IndexOf('/', start);
        var authorityEnd = slash < 0 ? dsn.Length : slash;
        if (authorityEnd <= start)
        {
            return dsn;
        }

        var at = dsn.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at < 0)
        {
            return dsn;
        }

        var colon = dsn.IndexOf(':', start, at - start);
        return colon < 0 ? dsn : dsn[..(colon + 1)] + "***" + dsn[at..];
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
