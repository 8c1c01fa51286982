using System.Text.Json.Nodes;

namespace Cellar.Cli;

/// <summary>
/// Builds JSON output as <see cref="JsonNode"/>s instead of serializing anonymous types: no
/// reflection, so the CLI publishes ahead of time (Native AOT) without trimming warnings.
/// </summary>
internal static class JsonNodes
{
    /// <summary>A JSON array of the items, each turned into a node; null when there are no items at all.</summary>
    public static JsonArray? Array<T>(IEnumerable<T>? items, Func<T, JsonNode?> select) =>
        items is null ? null : new JsonArray(items.Select(select).ToArray());

    /// <summary>A JSON array of strings; null when there is no list.</summary>
    public static JsonArray? Strings(IEnumerable<string>? items) => Array(items, s => JsonValue.Create(s));

    /// <summary>A JSON object of a string dictionary; null when there is none.</summary>
    public static JsonObject? Object(IEnumerable<KeyValuePair<string, string>>? items) =>
        items is null ? null : new JsonObject(items.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
}
