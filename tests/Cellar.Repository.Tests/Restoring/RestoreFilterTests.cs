using Cellar.Repository.Restoring;

namespace Cellar.Repository.Tests.Restoring;

public sealed class RestoreFilterTests
{
    [Theory]
    [InlineData("*.txt", "/a/b/c.txt", true)]
    [InlineData("*.txt", "/a/b/c.txt/d", true)]
    [InlineData("*.txt", "/a/b/c.bin", false)]
    [InlineData("b", "/a/b/c", true)]
    [InlineData("/a/b", "/a/b/c", true)]
    [InlineData("/b", "/a/b/c", false)]
    [InlineData("/a/*/c", "/a/x/c", true)]
    [InlineData("/a/**/d", "/a/b/c/d", true)]
    [InlineData("/a/**/d", "/a/d", true)]
    [InlineData("/a/**", "/a/b/c/d", true)]
    [InlineData("a?c", "/x/abc", true)]
    [InlineData("a[b-d]c", "/x/acc", true)]
    [InlineData("a[^b-d]c", "/x/acc", false)]
    [InlineData("a\\*c", "/x/a*c", true)]
    [InlineData("a\\*c", "/x/abc", false)]
    [InlineData("/a/", "/a", true)]
    public void Patterns_match_like_restic(string pattern, string path, bool expected) =>
        new GlobPattern(pattern).Matches(path).ShouldBe(expected);

    [Fact]
    public void Includes_enter_folders_that_may_hold_matches_without_selecting_them()
    {
        var filter = new RestoreFilter(includes: ["/docs/keep/*.txt"]);

        filter.Select("/docs", isDirectory: true).ShouldBe((false, true));
        filter.Select("/other", isDirectory: true).ShouldBe((false, false));
        filter.Select("/docs/keep/a.txt", isDirectory: false).ShouldBe((true, false));
        filter.Select("/docs/keep/a.bin", isDirectory: false).ShouldBe((false, false));
    }

    [Fact]
    public void Excludes_drop_matching_entries_and_everything_below()
    {
        var filter = new RestoreFilter(excludes: ["cache", "*.tmp"]);

        filter.Select("/a/cache", isDirectory: true).ShouldBe((false, false));
        filter.Select("/a/x.tmp", isDirectory: false).ShouldBe((false, false));
        filter.Select("/a/x.txt", isDirectory: false).ShouldBe((true, false));
        filter.Select("/a", isDirectory: true).ShouldBe((true, true));
    }

    [Fact]
    public void Negated_includes_take_back_earlier_matches()
    {
        var filter = new RestoreFilter(includes: ["*.txt", "!secret.txt"]);

        filter.Select("/a/b.txt", isDirectory: false).Selected.ShouldBeTrue();
        filter.Select("/a/secret.txt", isDirectory: false).Selected.ShouldBeFalse();
    }

    [Fact]
    public void Malformed_patterns_and_mixed_include_exclude_are_refused()
    {
        Should.Throw<ArgumentException>(() => new GlobPattern("a[bc"));
        Should.Throw<ArgumentException>(() => new RestoreFilter(["a"], ["b"]));
    }
}
