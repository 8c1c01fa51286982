using System.Text;
using Cellar.Repository.Index;

namespace Cellar.Repository.Tests.Index;

/// <summary>Index files read in one forward pass, with Go's encoding/json rules (restic internal/index/index.go jsonIndex).</summary>
public sealed class IndexFileTests
{
    private static readonly string PackA = new('a', 64);
    private static readonly string PackB = new('b', 64);
    private static readonly string Blob1 = new('1', 64);
    private static readonly string Blob2 = new('2', 64);

    private static IndexFile Parse(string json) => IndexFile.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Written_index_reads_back_with_every_pack_blob_and_supersedes()
    {
        var file = new IndexFile();
        file.Supersedes.Add(Id.Parse(PackB));
        var pack = new IndexPack(Id.Parse(PackA));
        pack.Blobs.Add(new PackedBlob(new BlobHandle(Id.Parse(Blob1), BlobType.Data), pack.Id, 0, 120, 300));
        pack.Blobs.Add(new PackedBlob(new BlobHandle(Id.Parse(Blob2), BlobType.Tree), pack.Id, 120, 80, 0));
        file.Packs.Add(pack);

        var back = IndexFile.Parse(file.ToJson());

        back.IsLegacy.ShouldBeFalse();
        back.Supersedes.ShouldBe([Id.Parse(PackB)]);
        back.Packs.Single().Id.ShouldBe(Id.Parse(PackA));
        back.Packs.Single().Blobs.ShouldBe(pack.Blobs);
    }

    [Fact]
    public void Field_names_match_case_insensitively_and_unknown_fields_are_skipped_as_Go_does()
    {
        var index = Parse($$"""
            {"Packs":[{"blobs":[{"ID":"{{Blob1}}","Type":"data","extra":{"x":[1,2]},"Offset":7,"LENGTH":50}],"note":[1],"Id":"{{PackA}}"}],"other":null}
            """);

        var blob = index.Packs.Single().Blobs.Single();
        blob.Id.ShouldBe(Id.Parse(Blob1));
        blob.PackId.ShouldBe(Id.Parse(PackA));
        blob.Offset.ShouldBe(7);
        blob.Length.ShouldBe(50);
        blob.UncompressedLength.ShouldBe(0);
    }

    [Fact]
    public void A_bare_array_is_the_legacy_format()
    {
        var index = Parse($$"""[{"id":"{{PackA}}","blobs":[{"id":"{{Blob2}}","type":"tree","offset":0,"length":40}]}]""");

        index.IsLegacy.ShouldBeTrue();
        index.Packs.Single().Blobs.Single().Type.ShouldBe(BlobType.Tree);
    }

    [Theory]
    [InlineData("""{"packs":[{"id":"zz","blobs":[]}]}""")]
    [InlineData("""{"packs":[{"id":"AAPACK","blobs":[{"id":"BLOB","type":"other","offset":0,"length":1}]}]}""")]
    [InlineData("""{"packs":[""")]
    [InlineData("42")]
    public void Damaged_index_files_are_reported_as_corrupt(string json)
    {
        Should.Throw<RepositoryCorruptException>(() => Parse(json.Replace("AAPACK", PackA).Replace("BLOB", Blob1)));
    }
}
