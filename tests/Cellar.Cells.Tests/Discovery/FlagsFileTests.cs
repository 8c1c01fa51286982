using Cellar.Cells.Discovery;

namespace Cellar.Cells.Tests.Discovery;

/// <summary>Flags files as viper reads them for Cells (cmd/root.go): keys lower-cased and otherwise exact.</summary>
public sealed class FlagsFileTests
{
    [Fact]
    public void Dotenv_files_accept_export_quotes_and_comments_and_keep_keys_exact()
    {
        var values = FlagsFile.Parse("/w/flags.env", "# comment\nexport KEYRING=\"/d a t a\"\ncerts_store = /certs # trailing\nCELLS_CONFIG='/c'\n");
        values["keyring"].ShouldBe("/d a t a");
        values["certs_store"].ShouldBe("/certs");
        values.ShouldContainKey("cells_config");
        values.ShouldNotContainKey("config");
    }

    [Fact]
    public void Yaml_files_are_read_as_flat_key_colon_value_lines()
    {
        var values = FlagsFile.Parse("/w/flags.yml", "---\nconfig: file:///c/pydio.json\nkeyring: file:///k?keyring=true\n");
        values["config"].ShouldBe("file:///c/pydio.json");
        values["keyring"].ShouldBe("file:///k?keyring=true");
    }

    [Fact]
    public void Json_files_must_hold_an_object()
    {
        Should.Throw<CellsConfigException>(() => FlagsFile.Parse("/w/flags.json", "[1,2]")).FilePath.ShouldBe("/w/flags.json");
    }

    // viper.SupportedExts, the order searchInPath tries them in.
    [Fact]
    public void Viper_extension_order_starts_with_json()
    {
        FlagsFile.ViperExtensions.ShouldBe(["json", "toml", "yaml", "yml", "properties", "props", "prop", "hcl", "tfvars", "dotenv", "env", "ini"]);
    }
}
