using Cellar.Repository.Platform;

namespace Cellar.Repository.Tests.Platform;

public sealed class RawPathTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("..x", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("/abs", false)]
    [InlineData("nul\0byte", false)]
    public void Only_single_components_are_safe_names(string name, bool safe) =>
        RawPath.FromString(name).IsSafeName.ShouldBe(safe);

    [Fact]
    public void Invalid_utf8_displays_as_escapes_and_valid_utf8_round_trips()
    {
        var raw = new RawPath([0x61, 0xFF, 0xC3, 0xA9]);
        raw.IsValidUtf8.ShouldBeFalse();
        raw.ToString().ShouldBe("a\\xffé");
        raw.TryGetString(out _).ShouldBeFalse();

        RawPath.FromString("Ünï").TryGetString(out var text).ShouldBeTrue();
        text.ShouldBe("Ünï");
    }

    [Fact]
    public void Combine_and_split_work_on_bytes()
    {
        var path = RawPath.FromString("/a/").Combine(new RawPath([0xFF])).Combine("c");

        path.ToString().ShouldBe("/a/\\xff/c");
        path.Split().Select(p => p.ToString()).ShouldBe(["a", "\\xff", "c"]);
        path.FileName.ToString().ShouldBe("c");
        path.IsAbsolute.ShouldBeTrue();
        (path == RawPath.FromString("/a/").Combine(new RawPath([0xFF])).Combine("c")).ShouldBeTrue();
    }
}
