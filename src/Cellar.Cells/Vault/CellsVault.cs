using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cellar.Cells.Vault;

/// <summary>
/// The Cells vault (<c>pydio-vault.json</c>): a JSON object whose values are secrets sealed with
/// the master key, read as Cells' <c>VaultCipher</c> does (common/crypto/vault.go): the key is
/// PBKDF2-HMAC-SHA256 of the base64-decoded master key (PKCS#7-padded to 32 bytes when shorter)
/// with Cells' fixed 16-byte salt, 50 000 rounds, 32 bytes; each value is base64 of a 12-byte
/// nonce followed by the AES-256-GCM ciphertext and its 16-byte tag. A datasource's
/// <c>ApiSecret</c> names its vault entry (<c>config.GetSecret</c>); when the vault has no such
/// entry, the <c>ApiSecret</c> itself is the secret, as Cells reads it.
/// </summary>
public sealed class CellsVault
{
    /// <summary>Cells' <c>crypto.SALT</c>.</summary>
    internal static readonly byte[] Salt = [224, 32, 0, 33, 78, 3, 25, 56, 54, 5, 54, 9, 79, 76, 189, 8];

    internal const int Rounds = 50_000;

    private readonly string _path;
    private readonly JsonObject _entries;
    private readonly byte[] _key;

    private CellsVault(string path, JsonObject entries, byte[] key)
    {
        _path = path;
        _entries = entries;
        _key = key;
    }

    public static CellsVault Open(string vaultPath, string keyringPath)
    {
        var master = CellsKeyring.ReadMasterKey(keyringPath);
        string text;
        try
        {
            text = File.ReadAllText(vaultPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CellsConfigException(vaultPath, $"the vault cannot be read ({ex.Message}); run Cellar as the user Cells runs as.");
        }

        return FromText(vaultPath, text, master);
    }

    public static CellsVault FromText(string vaultPath, string text, string masterKey)
    {
        JsonObject entries;
        try
        {
            entries = text.Trim().Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? throw new CellsConfigException(vaultPath, "the vault is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new CellsConfigException(vaultPath, $"the vault is not valid JSON ({ex.Message}).");
        }

        return new CellsVault(vaultPath, entries, DeriveKey(vaultPath, masterKey));
    }

    /// <summary>Cells' <c>KeyFromPassword(base64decode(master), 32)</c>.</summary>
    internal static byte[] DeriveKey(string path, string masterKey)
    {
        byte[] password;
        try
        {
            password = Convert.FromBase64String(masterKey);
        }
        catch (FormatException)
        {
            throw new CellsConfigException(path, "the keyring's master key is not base64; restore the keyring that goes with this vault.");
        }

        if (password.Length < 32)
        {
            // PKCS#7 padding up to the next multiple of 32 (at least one byte).
            var pad = 32 - (password.Length % 32);
            password = [.. password, .. Enumerable.Repeat((byte)pad, pad)];
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, Salt, Rounds, HashAlgorithmName.SHA256, 32);
    }

    /// <summary>True when the vault has an entry with this name.</summary>
    public bool Contains(string name) => _entries[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    /// <summary>The decrypted value of an entry, or null when there is no such entry.</summary>
    public string? GetSecret(string name)
    {
        if (!Contains(name))
        {
            return null;
        }

        var sealedText = _entries[name]!.GetValue<string>();
        if (sealedText.Length == 0)
        {
            return "";
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(sealedText);
        }
        catch (FormatException)
        {
            throw new CellsConfigException(_path, $"vault entry {name} is not base64; the vault is damaged.");
        }

        if (data.Length < 12 + 16)
        {
            throw new CellsConfigException(_path, $"vault entry {name} is too short to be sealed; the vault is damaged.");
        }

        var plain = new byte[data.Length - 12 - 16];
        try
        {
            using var gcm = new AesGcm(_key, 16);
            gcm.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plain.Length), data.AsSpan(data.Length - 16), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CellsConfigException(_path, $"vault entry {name} does not open with the keyring's master key; the keyring and the vault do not belong together (restore both from the same moment).");
        }

        return Encoding.UTF8.GetString(plain);
    }
}
