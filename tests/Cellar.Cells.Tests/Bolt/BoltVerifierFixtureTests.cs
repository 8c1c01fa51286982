using Cellar.Cells.Bolt;
using Cellar.Testing;

namespace Cellar.Cells.Tests.Bolt;

public sealed class BoltVerifierFixtureTests
{
    [Theory]
    [InlineData("small.db")]
    [InlineData("nested.db")]
    [InlineData("overflow.db")]
    [InlineData("after-writer.db")]
    public void Files_the_reference_library_accepts_are_sound(string name)
    {
        var path = SharedFixtures.Require("bolt", "consistent", name);
        var result = BoltVerifier.Verify(path, TestContext.Current.CancellationToken);
        result.Problems.ShouldBeEmpty();
        result.Summary!.Keys.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("torn-1.db")]
    [InlineData("torn-2.db")]
    [InlineData("torn-3.db")]
    [InlineData("torn-4.db")]
    [InlineData("torn-5.db")]
    public void Copies_taken_under_writes_are_torn(string name)
    {
        var path = SharedFixtures.Require("bolt", "torn", name);
        var result = BoltVerifier.Verify(path, TestContext.Current.CancellationToken);
        result.IsSound.ShouldBeFalse();
        result.Problems[0].ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("consistent", "after-writer.db")]
    [InlineData("consistent", "overflow.db")]
    [InlineData("torn", "torn-1.db")]
    [InlineData("torn", "torn-3.db")]
    public void Bytes_in_memory_get_the_same_verdict_as_the_file(string folder, string name)
    {
        var path = SharedFixtures.Require("bolt", folder, name);
        var fromFile = BoltVerifier.Verify(path, TestContext.Current.CancellationToken);
        var fromMemory = BoltVerifier.Verify(File.ReadAllBytes(path), name, TestContext.Current.CancellationToken);
        fromMemory.Problems.ShouldBe(fromFile.Problems);
        fromMemory.Summary.ShouldBe(fromFile.Summary);
    }

    [Fact]
    public void A_file_too_short_for_the_metas_is_torn()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("short.db");
        File.WriteAllBytes(path, new byte[40]);
        BoltVerifier.Verify(path, TestContext.Current.CancellationToken).Problems.ShouldHaveSingleItem().ShouldContain("too short");
    }
}
