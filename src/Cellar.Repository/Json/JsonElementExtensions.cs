using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Cellar.Repository.Json;

/// <summary>Reading JSON the way Go's decoder does: field names match exactly first, then case-insensitively.</summary>
internal static class JsonElementExtensions
{
    public static bool TryGetGoProperty(this JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            // Compare the raw name where that is exact (plain ASCII, nothing escaped) so that a field
            // absent from every node does not turn every property name into a string.
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var matches = Ascii.IsValid(raw) && !raw.Contains((byte)'\\')
                ? Ascii.EqualsIgnoreCase(raw, name)
                : string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool IsNullOrAbsent(this JsonElement element) => element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public static string? GetGoString(this JsonElement element, string name) =>
        element.TryGetGoProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static ulong GetGoUInt64(this JsonElement element, string name) =>
        element.TryGetGoProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetUInt64() : 0;

    public static uint GetGoUInt32(this JsonElement element, string name) =>
        element.TryGetGoProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetUInt32() : 0;

    public static long GetGoInt64(this JsonElement element, string name) =>
        element.TryGetGoProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static GoTime GetGoTime(this JsonElement element, string name) =>
        element.GetGoString(name) is { } text ? GoTime.Parse(text) : GoTime.Zero;

    public static byte[]? GetGoBytes(this JsonElement element, string name) =>
        element.TryGetGoProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Convert.FromBase64String(value.GetString()!) : null;

    public static Id? GetGoId(this JsonElement element, string name) =>
        element.GetGoString(name) is { } text ? Id.Parse(text) : null;

    public static List<string>? GetGoStrings(this JsonElement element, string name)
    {
        if (!element.TryGetGoProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.GetString() ?? "");
        }

        return list;
    }
}
