using Cellar.Cells.Discovery;

namespace Cellar.Cells.Tests.Discovery;

public sealed class FlagsFileTests
{
    [Fact]
    public void Key_value_files_accept_export_quotes_comments_and_any_key_spelling()
    {
        var values = FlagsFile.Parse("/w/cells_local.env", "# comment\nexport CELLS_DATA_DIR=\"/d a t a\"\nlog-dir = /logs # trailing\n[section]\nPYDIO_SERVICES_DIR='/s'\n");
        values["data_dir"].ShouldBe("/d a t a");
        values["log_dir"].ShouldBe("/logs");
        values["services_dir"].ShouldBe("/s");
    }

    [Fact]
    public void Yaml_files_are_read_as_flat_key_colon_value_lines()
    {
        var values = FlagsFile.Parse("/w/flags.yml", "---\nworking_dir: /var/cells\nkeyring: file:///k?keyring=true\n");
        values["working_dir"].ShouldBe("/var/cells");
        values["keyring"].ShouldBe("file:///k?keyring=true");
    }

    [Fact]
    public void Json_files_must_hold_an_object()
    {
        Should.Throw<CellsConfigException>(() => FlagsFile.Parse("/w/flags.json", "[1,2]")).FilePath.ShouldBe("/w/flags.json");
    }

    [Theory]
    [InlineData("flags.yaml", true)]
    [InlineData("cells_local.json", true)]
    [InlineData("flags.yaml~", false)]
    [InlineData("flagship.yaml", false)]
    public void Only_flags_and_cells_local_files_are_candidates(string name, bool candidate) =>
        FlagsFile.IsCandidate(name).ShouldBe(candidate);
}
