using System.Text.Json;
using Cellar.Repository.Crypto;
using Cellar.Repository.Json;

namespace Cellar.Repository.Keys;

/// <summary>The master key as JSON inside a key file: <c>{"mac":{"k":..,"r":..},"encrypt":..}</c> (base64).</summary>
internal static class MasterKeyJson
{
    public static MasterKey Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var e = document.RootElement;
            if (!e.TryGetGoProperty("mac", out var mac))
            {
                throw new RepositoryCorruptException("the master key has no MAC key");
            }

            return new MasterKey(e.GetGoBytes("encrypt") ?? [], mac.GetGoBytes("k") ?? [], mac.GetGoBytes("r") ?? []);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"the master key in a key file is not valid: {ex.Message}", ex);
        }
    }

    public static byte[] ToJson(MasterKey key)
    {
        var w = new GoJsonWriter();
        w.StartObject();
        w.Name("mac");
        w.StartObject();
        w.Name("k"); w.Base64(key.MacK);
        w.Name("r"); w.Base64(key.MacR);
        w.EndObject();
        w.Name("encrypt"); w.Base64(key.EncryptionKey);
        w.EndObject();
        return w.ToArray();
    }
}
