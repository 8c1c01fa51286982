using Cellar.Cells.Bolt;
using Cellar.Testing;
using Cellar.Testing.Bolt;

namespace Cellar.Cells.Tests.Bolt;

/// <summary>Cross-checks the verifier with the reference library on files the real writer makes and tests tear.</summary>
public sealed class BoltVerifierReferenceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("small")]
    [InlineData("inline")]
    [InlineData("nested")]
    [InlineData("overflow")]
    [InlineData("large")]
    public async Task Files_of_every_shape_from_the_real_writer_are_sound(string shape)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(shape + ".db");
        await BoltWriter.CreateAsync(path, shape, Token);
        var ours = BoltVerifier.Verify(path, Token);
        ours.Problems.ShouldBeEmpty();
        (await BoltWriter.CheckAsync(path, Token)).Sound.ShouldBeTrue();
    }

    [Fact]
    public async Task A_torn_meta_falls_back_to_the_other_meta_like_the_reference()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("meta.db");
        await BoltWriter.CreateAsync(path, "nested", Token);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        var newer = ReadTxId(bytes, 0) > ReadTxId(bytes, 4096) ? 0 : 4096;
        bytes[newer + 16 + 40] ^= 0xFF; // the high-water mark of the newer meta: its checksum no longer matches
        await File.WriteAllBytesAsync(path, bytes, Token);

        var ours = BoltVerifier.Verify(path, Token);
        var reference = await BoltWriter.CheckAsync(path, Token);
        ours.IsSound.ShouldBe(reference.Sound, $"reference said: {reference.Output}; we said: {string.Join("; ", ours.Problems)}");
    }

    [Fact]
    public async Task Both_metas_torn_is_torn()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("metas.db");
        await BoltWriter.CreateAsync(path, "small", Token);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[16 + 48] ^= 1;
        bytes[4096 + 16 + 48] ^= 1;
        await File.WriteAllBytesAsync(path, bytes, Token);

        BoltVerifier.Verify(path, Token).Problems.ShouldHaveSingleItem().ShouldContain("no valid meta page");
        (await BoltWriter.CheckAsync(path, Token)).Sound.ShouldBeFalse();
    }

    [Fact]
    public async Task Zeroed_leaf_pages_are_torn()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("zeroed.db");
        await BoltWriter.CreateAsync(path, "large", Token);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        var leaves = Enumerable.Range(2, bytes.Length / 4096 - 2).Where(p => BitConverter.ToUInt16(bytes, p * 4096 + 8) == 0x02 && BitConverter.ToUInt64(bytes, p * 4096) == (ulong)p).ToList();
        leaves.ShouldNotBeEmpty();
        foreach (var leaf in leaves)
        {
            Array.Clear(bytes, leaf * 4096, 4096);
        }

        await File.WriteAllBytesAsync(path, bytes, Token);

        var ours = BoltVerifier.Verify(path, Token);
        ours.IsSound.ShouldBeFalse();
        ours.Problems[0].ShouldContain("its header says page 0");
        (await BoltWriter.CheckAsync(path, Token)).Sound.ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_cut_short_is_torn()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("cut.db");
        await BoltWriter.CreateAsync(path, "large", Token);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        BoltVerifier.Verify(path, Token).IsSound.ShouldBeFalse();
        (await BoltWriter.CheckAsync(path, Token)).Sound.ShouldBeFalse();
    }

    [Fact]
    public async Task Metas_of_a_later_state_over_pages_of_an_earlier_one_agree_with_the_reference()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("live.db");
        await BoltWriter.CreateAsync(path, "large", Token);
        var before = await File.ReadAllBytesAsync(path, Token);
        using (await BoltWriter.StartAsync(path, Token))
        {
            await Task.Delay(300, Token);
        }

        var after = await File.ReadAllBytesAsync(path, Token);
        var spliced = new byte[after.Length];
        Array.Copy(after, spliced, after.Length);
        Array.Copy(before, 8192, spliced, 8192, Math.Min(before.Length, after.Length) - 8192);
        var splicedPath = dir.Combine("spliced.db");
        await File.WriteAllBytesAsync(splicedPath, spliced, Token);

        var ours = BoltVerifier.Verify(splicedPath, Token);
        var reference = await BoltWriter.CheckAsync(splicedPath, Token);
        ours.IsSound.ShouldBe(reference.Sound, $"reference said: {reference.Output}; we said: {string.Join("; ", ours.Problems)}");
        ours.IsSound.ShouldBeFalse();
    }

    [Fact]
    public async Task Copies_taken_while_a_writer_commits_agree_with_the_reference_on_every_file()
    {
        var cp = ExternalTool.Require("cp");
        using var dir = new TempDirectory();
        var path = dir.Combine("live.db");
        await BoltWriter.CreateAsync(path, "large", Token);
        var torn = 0;
        var sound = 0;
        using (await BoltWriter.StartAsync(path, Token))
        {
            for (var i = 0; i < 40 && torn < 5; i++)
            {
                var copy = dir.Combine($"copy-{i}.db");
                (await ExternalTool.RunAsync(cp, [path, copy], cancellationToken: Token)).ExitCode.ShouldBe(0);
                var ours = BoltVerifier.Verify(copy, Token);
                var reference = await BoltWriter.CheckAsync(copy, Token);
                ours.IsSound.ShouldBe(reference.Sound, $"copy {i}: reference said: {reference.Output}; we said: {string.Join("; ", ours.Problems)}");
                if (ours.IsSound)
                {
                    sound++;
                }
                else
                {
                    torn++;
                }
            }
        }

        torn.ShouldBeGreaterThan(0, $"no torn copy among {sound} copies");
    }

    private static ulong ReadTxId(byte[] bytes, int pageOffset) => BitConverter.ToUInt64(bytes, pageOffset + 16 + 48);
}
