using Cellar.Repository.Chunking;

namespace Cellar.Repository.Tests.Chunking;

public sealed class PolynomialTests
{
    // restic/chunker's irreducibility vectors (polynomials_test.go).
    [Theory]
    [InlineData(0x38f1e565e288dfUL, false)]
    [InlineData(0x3DA3358B4DC173UL, true)]
    [InlineData(0x30a8295b9d5c91UL, false)]
    [InlineData(0x255f4350b962cbUL, false)]
    [InlineData(0x267f776110a235UL, false)]
    [InlineData(0x2f4dae10d41227UL, false)]
    [InlineData(0x2482734cacca49UL, true)]
    [InlineData(0x312daf4b284899UL, false)]
    [InlineData(0x29dfb6553d01d1UL, false)]
    [InlineData(0x3548245eb26257UL, false)]
    [InlineData(0x3199e7ef4211b3UL, false)]
    [InlineData(0x362f39017dae8bUL, false)]
    [InlineData(0x200d57aa6fdacbUL, false)]
    [InlineData(0x35e0a4efa1d275UL, false)]
    [InlineData(0x2ced55b026577fUL, false)]
    [InlineData(0x260b012010893dUL, false)]
    [InlineData(0x2df29cbcd59e9dUL, false)]
    [InlineData(0x3f2ac7488bd429UL, false)]
    [InlineData(0x3e5cb1711669fbUL, false)]
    [InlineData(0x226d8de57a9959UL, false)]
    [InlineData(0x3c8de80aaf5835UL, false)]
    [InlineData(0x2026a59efb219bUL, false)]
    [InlineData(0x39dfa4d13fb231UL, false)]
    [InlineData(0x3143d0464b3299UL, false)]
    public void Irreducibility_matches_restic_vectors(ulong value, bool irreducible) =>
        new Polynomial(value).IsIrreducible().ShouldBe(irreducible);

    [Fact]
    public void Random_polynomials_have_degree_53_and_are_irreducible()
    {
        var first = Polynomial.Random();
        var second = Polynomial.Random();
        first.Degree.ShouldBe(53);
        first.IsIrreducible().ShouldBeTrue();
        second.ShouldNotBe(first);
    }

    [Fact]
    public void Hex_form_round_trips_like_the_config_file()
    {
        var p = Polynomial.Parse("3da3358b4dc173");
        p.Value.ShouldBe(0x3DA3358B4DC173UL);
        p.ToString().ShouldBe("3da3358b4dc173");
        Polynomial.Parse("0x3DA3358B4DC173").ShouldBe(p);
    }
}
