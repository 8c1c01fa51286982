using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cellar.Testing.Cells;

/// <summary>
/// Writes a Cells keyring and vault the way Cells does, for tests, independently of Cellar's
/// reader and following the documented format (docs/cells.md; Cells' common/crypto/vault.go,
/// crypto.go KeyFromPassword and Seal, keyring/keyring.go autoCreateKeyring): the master key is
/// base64 of 50 random bytes; each vault value is base64(nonce[12] | AES-256-GCM(ciphertext | tag))
/// under PBKDF2-SHA256(base64decode(master), Cells' salt, 50000 rounds, 32 bytes).
/// </summary>
public static class CellsVaultWriter
{
    private static readonly byte[] CellsSalt = [224, 32, 0, 33, 78, 3, 25, 56, 54, 5, 54, 9, 79, 76, 189, 8];

    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(50));

    /// <summary>The keyring file as Cells' config keyring saves it.</summary>
    public static string KeyringJson(string masterKey) =>
        new JsonObject { ["pydio.grpc.user-key"] = new JsonObject { ["keyring.master"] = masterKey } }.ToJsonString();

    public static string Seal(string masterKey, string plaintext)
    {
        var password = Convert.FromBase64String(masterKey);
        if (password.Length < 32)
        {
            var pad = 32 - (password.Length % 32);
            password = [.. password, .. Enumerable.Repeat((byte)pad, pad)];
        }

        var key = Rfc2898DeriveBytes.Pbkdf2(password, CellsSalt, 50_000, HashAlgorithmName.SHA256, 32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, plain, cipher, tag);
        }

        return Convert.ToBase64String([.. nonce, .. cipher, .. tag]);
    }

    /// <summary>A vault file holding the given entries (name → plaintext), sealed with <paramref name="masterKey"/>.</summary>
    public static string VaultJson(string masterKey, IReadOnlyDictionary<string, string> entries)
    {
        var vault = new JsonObject();
        foreach (var (name, value) in entries)
        {
            vault[name] = Seal(masterKey, value);
        }

        return vault.ToJsonString();
    }
}
