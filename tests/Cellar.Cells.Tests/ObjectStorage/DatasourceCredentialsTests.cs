using Cellar.Cells.ObjectStorage;
using Cellar.Testing;

namespace Cellar.Cells.Tests.ObjectStorage;

public sealed class DatasourceCredentialsTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-credentials");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_private_file_gives_each_named_datasource_its_keys_and_skips_comments()
    {
        var path = Write("# datasource credentials\n\narchive AKIA1 secret/with+signs\n  media\tAKIA2   s2  \n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var credentials = DatasourceCredentials.Read(path);

        credentials.TryGet("archive", out var key, out var secret).ShouldBeTrue();
        (key, secret).ShouldBe(("AKIA1", "secret/with+signs"));
        credentials.TryGet("media", out key, out secret).ShouldBeTrue();
        (key, secret).ShouldBe(("AKIA2", "s2"));
        credentials.TryGet("other", out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    public void A_file_readable_by_group_or_others_is_refused_with_how_to_fix_it(UnixFileMode extra)
    {
        var path = Write("archive a b\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var ex = Should.Throw<CellsConfigException>(() => DatasourceCredentials.Read(path));
        ex.Message.ShouldContain("chmod 600");
    }

    [Fact]
    public void A_line_without_three_fields_is_refused_naming_its_number()
    {
        var path = Write("archive a b\nmedia onlykey\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Should.Throw<CellsConfigException>(() => DatasourceCredentials.Read(path)).Message.ShouldContain("line 2");
    }

    private string Write(string text, UnixFileMode mode)
    {
        var path = _temp.Combine("credentials");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
