using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cellar.Cells;

/// <summary>
/// Cells' <c>StorageType</c> enum (<c>common/proto/object/object.proto</c> and
/// <c>cells-object.proto</c>): LOCAL = 0, S3 = 1, SMB = 2, CELLS = 4, AZURE = 5, GCS = 6, B2 = 7,
/// MANTA = 8, SIA = 9. pydio.json holds it as the number (protobuf JSON of objects services and
/// some datasources) or as the name; absent means LOCAL.
/// </summary>
public static class CellsStorageType
{
    public const string Local = "LOCAL";

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = Local,
        [1] = "S3",
        [2] = "SMB",
        [4] = "CELLS",
        [5] = "AZURE",
        [6] = "GCS",
        [7] = "B2",
        [8] = "MANTA",
        [9] = "SIA",
    };

    /// <summary>The enum name of a <c>StorageType</c> value: a number, a name (any case), or absent (LOCAL).</summary>
    public static string Read(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return Local;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number when value.TryGetValue<int>(out var number):
                return Names.TryGetValue(number, out var name) ? name : $"UNKNOWN({number})";
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
                {
                    return Names.TryGetValue(numeric, out var fromNumber) ? fromNumber : $"UNKNOWN({numeric})";
                }

                return text.Length == 0 ? Local : text.ToUpperInvariant();
            default:
                return Local;
        }
    }
}
