using Cellar.Repository.Checking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>
/// <c>check --read-data-subset</c> picks packs as restic does (restic cmd/restic/cmd_check.go:
/// selectPacksByBucket, selectRandomPacksByPercentage, selectRandomPacksByFileSize).
/// </summary>
public sealed class ReadDataSubsetTests
{
    private static Dictionary<Id, long> Packs(int count, long size = 1000) =>
        Enumerable.Range(0, count).ToDictionary(i => Id.Hash(BitConverter.GetBytes(i)), _ => size);

    [Fact]
    public void Group_n_of_m_takes_the_packs_whose_first_id_byte_mod_m_is_n_minus_1_and_the_m_groups_cover_every_pack_once()
    {
        var packs = Packs(300);
        var seen = new List<Id>();
        for (uint n = 1; n <= 5; n++)
        {
            var group = ReadDataSubset.Parse($"{n}/5").Select(packs);
            group.ShouldAllBe(id => id.ToArray()[0] % 5 == n - 1);
            seen.AddRange(group);
        }

        seen.Count.ShouldBe(300);
        seen.Distinct().Count().ShouldBe(300);
    }

    [Fact]
    public void A_percentage_takes_the_floor_of_that_share_of_packs_and_at_least_one()
    {
        ReadDataSubset.Parse("25%").Select(Packs(10)).Count.ShouldBe(2);
        ReadDataSubset.Parse("0.5%").Select(Packs(10)).Count.ShouldBe(1);
        ReadDataSubset.Parse("100%").Select(Packs(10)).Count.ShouldBe(10);
        ReadDataSubset.Parse("10%").Select(Packs(0)).ShouldBeEmpty();
    }

    [Fact]
    public void A_size_takes_the_share_of_packs_that_size_is_of_all_pack_bytes()
    {
        // 20 packs of 1 MiB: 5M is 25% of 20 MiB, so 5 packs; more than the repository reads all.
        ReadDataSubset.Parse("5M").Select(Packs(20, 1 << 20)).Count.ShouldBe(5);
        ReadDataSubset.Parse("1G").Select(Packs(20, 1 << 20)).Count.ShouldBe(20);
        ReadDataSubset.Parse("1").Select(Packs(20, 1 << 20)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("0/5")]
    [InlineData("6/5")]
    [InlineData("1/0")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("abc")]
    [InlineData("5X")]
    public void Malformed_subsets_are_refused_with_the_rule(string text)
    {
        var ex = Should.Throw<FormatException>(() => ReadDataSubset.Parse(text));
        ex.Message.ShouldContain("--read-data-subset=" + text);
    }

    [Fact]
    public async Task A_flipped_byte_is_found_by_the_group_that_holds_its_pack_and_by_no_other()
    {
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        SourceTree.Create(source);
        await ResticPeer.InitAsync(repo, 2);
        await ResticPeer.BackupAsync(repo, source);
        var pack = new DirectoryInfo(Path.Combine(repo, "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();
        pack.IsReadOnly = false;
        using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 1000;
            var b = stream.ReadByte();
            stream.Position = 1000;
            stream.WriteByte((byte)(b ^ 0xff));
        }

        var group = Convert.FromHexString(pack.Name)[0] % 4 + 1;
        var ct = TestContext.Current.CancellationToken;
        for (var n = 1; n <= 4; n++)
        {
            await using var repository = await ResticRepository.OpenAsync(new LocalBackend(repo), ResticPeer.Password, ct, loadIndex: false);
            var result = await new Checker(repository).CheckAsync(ReadDataSubset.Parse($"{n}/4"), ct);
            if (n == group)
            {
                result.Errors.ShouldContain(e => e.Contains($"pack {pack.Name}") && e.Contains("does not hash to its name"));
            }
            else
            {
                result.Errors.ShouldBeEmpty($"group {n} does not hold pack {pack.Name}");
            }
        }
    }
}
