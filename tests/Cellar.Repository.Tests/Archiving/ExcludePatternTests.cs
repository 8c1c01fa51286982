using Cellar.Repository.Archiving;

namespace Cellar.Repository.Tests.Archiving;

public sealed class ExcludePatternTests
{
    [Theory]
    [InlineData("*.tmp", "/home/u/a.tmp", true)]
    [InlineData("*.tmp", "/home/u/a.tmp.keep", false)]
    [InlineData("cache", "/srv/app/cache", true)]
    [InlineData("cache", "/srv/app/cache/x/y", true)]
    [InlineData("cache", "/srv/app/caches", false)]
    [InlineData("app/cache", "/srv/app/cache", true)]
    [InlineData("/srv/app", "/srv/app/file", true)]
    [InlineData("/app", "/srv/app", false)]
    [InlineData("/srv/**/log", "/srv/a/b/c/log", true)]
    [InlineData("/srv/**/log", "/srv/log", true)]
    [InlineData("file?.[ab]", "/x/file1.a", true)]
    [InlineData("file?.[ab]", "/x/file1.c", false)]
    [InlineData("[^a]*", "/x/b", true)]
    [InlineData("[^a]*", "/a", false)]
    // Go's filepath.Match (restic's filter) negates a class with '^' only: '!' is a member.
    [InlineData("[!a]*", "/a", true)]
    [InlineData("[!a]*", "/!x", true)]
    [InlineData("[!a]*", "/b", false)]
    public void Patterns_match_like_restic_excludes(string pattern, string path, bool expected) =>
        new ExcludePattern(pattern).Matches(path.Split('/', StringSplitOptions.RemoveEmptyEntries)).ShouldBe(expected);

    [Theory]
    [InlineData("cache[")]
    [InlineData("/srv/[a-")]
    [InlineData("trailing\\")]
    public void A_malformed_pattern_is_refused_with_a_sentence_saying_how_to_write_it(string pattern)
    {
        var error = Should.Throw<ArgumentException>(() => new ExcludePattern(pattern));
        error.Message.ShouldContain($"The exclude pattern '{pattern}' is malformed");
    }

    [Fact]
    public void Exclude_files_skip_blank_lines_and_comments()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# comment\n\n*.log\n  /tmp  \n");
            ExcludePattern.ReadFile(file).Select(p => p.Text).ShouldBe(["*.log", "/tmp"]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
