using System.Text;
using Cellar.Cells.Vault;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cells.Tests.Vault;

/// <summary>
/// The vault and keyring as Cells writes them (common/crypto/vault.go VaultCipher, crypto.go
/// KeyFromPassword/Seal, keyring/keyring.go autoCreateKeyring, the file opener's legacy keyring
/// upgrade); the vault files come from the tests' own encoder (CellsVaultWriter).
/// </summary>
public sealed class CellsVaultTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-vault");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_secret_sealed_as_Cells_seals_it_opens_with_the_master_key_of_the_keyring()
    {
        var master = CellsVaultWriter.NewMasterKey();
        var keyring = _temp.Combine("cells-vault-key");
        var vault = _temp.Combine("pydio-vault.json");
        File.WriteAllText(keyring, CellsVaultWriter.KeyringJson(master));
        File.WriteAllText(vault, CellsVaultWriter.VaultJson(master, new Dictionary<string, string> { ["a1b2"] = "s3cr3t/Ünïcode+", ["empty"] = "" }));

        var opened = CellsVault.Open(vault, keyring);

        opened.GetSecret("a1b2").ShouldBe("s3cr3t/Ünïcode+");
        opened.GetSecret("empty").ShouldBe("");
        opened.GetSecret("not-there").ShouldBeNull();
    }

    [Fact]
    public void A_legacy_keyring_of_raw_bytes_is_read_as_Cells_upgrades_it_the_base64_of_its_bytes()
    {
        var raw = Enumerable.Range(0, 50).Select(i => unchecked((byte)(i * 7 + 3))).ToArray();
        var master = Convert.ToBase64String(raw);
        var keyring = _temp.Combine("cells-vault-key");
        File.WriteAllBytes(keyring, raw);
        var vault = _temp.Combine("pydio-vault.json");
        File.WriteAllText(vault, CellsVaultWriter.VaultJson(master, new Dictionary<string, string> { ["k"] = "legacy secret" }));

        CellsKeyring.ReadMasterKey(keyring).ShouldBe(master);
        CellsVault.Open(vault, keyring).GetSecret("k").ShouldBe("legacy secret");
        File.ReadAllBytes(keyring).ShouldBe(raw); // read, never rewritten
    }

    [Fact]
    public void A_master_key_shorter_than_32_bytes_is_padded_as_KeyFromPassword_pads_it()
    {
        var master = Convert.ToBase64String(Encoding.UTF8.GetBytes("short"));
        var vault = CellsVault.FromText("pydio-vault.json", CellsVaultWriter.VaultJson(master, new Dictionary<string, string> { ["k"] = "v" }), master);

        vault.GetSecret("k").ShouldBe("v");
    }

    [Fact]
    public void A_vault_sealed_under_another_keyring_is_one_sentence_saying_they_do_not_belong_together()
    {
        var text = CellsVaultWriter.VaultJson(CellsVaultWriter.NewMasterKey(), new Dictionary<string, string> { ["k"] = "v" });
        var vault = CellsVault.FromText("/srv/cells/pydio-vault.json", text, CellsVaultWriter.NewMasterKey());

        var ex = Should.Throw<CellsConfigException>(() => vault.GetSecret("k"));
        ex.Message.ShouldContain("/srv/cells/pydio-vault.json");
        ex.Message.ShouldContain("do not belong together");
    }

    [Fact]
    public void A_keyring_without_the_master_entry_is_refused_naming_the_file()
    {
        var keyring = _temp.Combine("cells-vault-key");
        File.WriteAllText(keyring, "{\"other\":{\"x\":\"y\"}}");

        var ex = Should.Throw<CellsConfigException>(() => CellsKeyring.ReadMasterKey(keyring));
        ex.Message.ShouldContain(keyring);
        ex.Message.ShouldContain("keyring.master");
    }
}
