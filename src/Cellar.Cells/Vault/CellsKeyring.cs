using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cellar.Cells.Vault;

/// <summary>
/// Reads the vault master key from the Cells keyring file (<c>cells-vault-key</c>), as Cells does
/// at start (<c>initKeyring</c> in the Cells manager): a JSON store in which the value at service
/// <c>pydio.grpc.user-key</c>, user <c>keyring.master</c> is the master key as base64 text. A file
/// that is not JSON is a keyring of the legacy format (the raw key bytes); Cells upgrades it on
/// open by storing the base64 of those bytes, so Cellar reads it the same way without rewriting it.
/// </summary>
public static class CellsKeyring
{
    public const string Service = "pydio.grpc.user-key";
    public const string User = "keyring.master";

    public static string ReadMasterKey(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CellsConfigException(path, $"the keyring cannot be read ({ex.Message}); run Cellar as the user Cells runs as.");
        }

        return FromBytes(path, bytes);
    }

    public static string FromBytes(string path, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new CellsConfigException(path, "the keyring is empty, so the vault cannot be opened; restore the keyring that goes with this pydio-vault.json.");
        }

        JsonNode? root = null;
        try
        {
            root = JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            // Not JSON: the legacy format, the raw key bytes.
        }

        if (root is null)
        {
            return Convert.ToBase64String(bytes);
        }

        var value = Find(root, Service, User);
        if (string.IsNullOrEmpty(value))
        {
            throw new CellsConfigException(path, $"the keyring has no \"{Service}\" / \"{User}\" value, so the vault cannot be opened; restore the keyring that goes with this pydio-vault.json.");
        }

        return value;
    }

    /// <summary>The value at service/user: keys as Cells writes them, or the same path split on '/'.</summary>
    private static string? Find(JsonNode root, string service, string user)
    {
        if (root[service]?[user] is JsonValue direct && direct.GetValueKind() == JsonValueKind.String)
        {
            return direct.GetValue<string>();
        }

        JsonNode? node = root;
        foreach (var part in (service + "/" + user).Split('/'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }
}
