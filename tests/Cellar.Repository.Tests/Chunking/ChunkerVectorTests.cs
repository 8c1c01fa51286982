using System.Security.Cryptography;
using Cellar.Repository.Chunking;

namespace Cellar.Repository.Tests.Chunking;

/// <summary>
/// Cut points must equal restic's, or the same file stored by both tools would not deduplicate.
/// The expectations below are restic/chunker's published test vectors (chunker_test.go: polynomial
/// 0x3DA3358B4DC173, 32 MiB from Go's math/rand seeded with 23, window 64, min 512 KiB, max 8 MiB,
/// 20-bit split mask), recomputed and confirmed here.
/// </summary>
public sealed class ChunkerVectorTests
{
    private static readonly Polynomial TestPolynomial = new(0x3DA3358B4DC173);

    private static readonly (int Length, ulong Cut, string Sha256)[] RandomVectors =
    [
        (2163460, 0x000b98d4cdf00000, "4b94cb2cf293855ea43bf766731c74969b91aa6bf3c078719aabdd19860d590d"),
        (643703, 0x000d4e8364d00000, "5727a63c0964f365ab8ed2ccf604912f2ea7be29759a2b53ede4d6841e397407"),
        (1528956, 0x0015a25c2ef00000, "a73759636a1e7a2758767791c69e81b69fb49236c6929e5d1b654e06e37674ba"),
        (1955808, 0x00102a8242e00000, "c955fb059409b25f07e5ae09defbbc2aadf117c97a3724e06ad4abd2787e6824"),
        (2222372, 0x00045da878000000, "6ba5e9f7e1b310722be3627716cf469be941f7f3e39a4c3bcefea492ec31ee56"),
        (2538687, 0x00198a8179900000, "8687937412f654b5cfe4a82b08f28393a0c040f77c6f95e26742c2fc4254bfde"),
        (609606, 0x001d4e8d17100000, "5da820742ff5feb3369112938d3095785487456f65a8efc4b96dac4be7ebb259"),
        (1205738, 0x000a7204dd600000, "cc70d8fad5472beb031b1aca356bcab86c7368f40faa24fe5f8922c6c268c299"),
        (959742, 0x00183e71e1400000, "4065bdd778f95676c92b38ac265d361f81bff17d76e5d9452cf985a2ea5a4e39"),
        (4036109, 0x001fec043c700000, "b9cf166e75200eb4993fc9b6e22300a6790c75e6b0fc8f3f29b68a752d42f275"),
        (1525894, 0x000b1574b1500000, "2f238180e4ca1f7520a05f3d6059233926341090f9236ce677690c1823eccab3"),
        (1352720, 0x00018965f2e00000, "afd12f13286a3901430de816e62b85cc62468c059295ce5888b76b3af9028d84"),
        (811884, 0x00155628aa100000, "42d0cdb1ee7c48e552705d18e061abb70ae7957027db8ae8db37ec756472a70a"),
        (1282314, 0x001909a0a1400000, "819721c2457426eb4f4c7565050c44c32076a56fa9b4515a1c7796441730eb58"),
        (1318021, 0x001cceb980000000, "842eb53543db55bacac5e25cb91e43cc2e310fe5f9acc1aee86bdf5e91389374"),
        (948640, 0x0011f7a470a00000, "b8e36bf7019bb96ac3fb7867659d2167d9d3b3148c09fe0de45850b8fe577185"),
        (645464, 0x00030ce2d9400000, "5584bd27982191c3329f01ed846bfd266e96548dfa87018f745c33cfc240211d"),
        (533758, 0x0004435c53c00000, "4da778a25b72a9a0d53529eccfe2e5865a789116cb1800f470d8df685a8ab05d"),
        (1128303, 0x0000c48517800000, "08c6b0b38095b348d80300f0be4c5184d2744a17147c2cba5cc4315abf4c048f"),
        (800374, 0x000968473f900000, "820284d2c8fd243429674c996d8eb8d3450cbc32421f43113e980f516282c7bf"),
        (2453512, 0x001e197c92600000, "5fa870ed107c67704258e5e50abe67509fb73562caf77caa843b5f243425d853"),
        (2651975, 0x000ae6c868000000, "181347d2bbec32bef77ad5e9001e6af80f6abcf3576549384d334ee00c1988d8"),
        (237392, 0x0000000000000001, "fcd567f5d866357a8e299fd5b2359bb2c8157c30395229c4e9b0a353944a7978"),
    ];

    [Fact]
    public async Task Cut_points_and_fingerprints_match_restic_vectors_for_random_data()
    {
        var data = await GoRandomInput.RequireAsync();
        var finder = new SplitPointFinder(TestPolynomial);
        var position = 0;
        foreach (var (length, cut, sha256) in RandomVectors)
        {
            var consumed = finder.Next(data.AsSpan(position));
            ulong fingerprint;
            if (consumed < 0)
            {
                consumed = data.Length - position;
                fingerprint = finder.CurrentFingerprint;
            }
            else
            {
                fingerprint = finder.LastCutFingerprint;
            }

            consumed.ShouldBe(length);
            fingerprint.ShouldBe(cut);
            Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(position, length))).ShouldBe(sha256);
            position += length;
        }

        position.ShouldBe(data.Length);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4093, true)]
    [InlineData(1024 * 1024, true)]
    [InlineData(1024 * 1024, false)]
    [InlineData(3 * 1024 * 1024, false)]
    public async Task Stream_chunker_gives_the_same_chunks_whatever_the_read_sizes(int maxRead, bool lengthKnown)
    {
        var data = await GoRandomInput.RequireAsync();
        await using var stream = new TricklingStream(data, maxRead);
        using var chunker = new StreamChunker(TestPolynomial, stream, lengthKnown ? data.Length : 0);
        var lengths = new List<int>();
        var digests = new List<string>();
        while (await chunker.NextAsync(TestContext.Current.CancellationToken) is { } chunk)
        {
            using (chunk)
            {
                lengths.Add(chunk.Length);
                digests.Add(Convert.ToHexStringLower(SHA256.HashData(chunk.Span)));
            }
        }

        lengths.ShouldBe(RandomVectors.Select(v => v.Length));
        digests.ShouldBe(RandomVectors.Select(v => v.Sha256));
    }

    [Fact]
    public async Task Zero_bytes_are_cut_at_the_minimum_size_like_restic()
    {
        // restic/chunker's second vector: 4 x MinSize zero bytes give 4 chunks of MinSize.
        var data = new byte[4 * SplitPointFinder.MinSize];
        await using var stream = new MemoryStream(data);
        using var chunker = new StreamChunker(TestPolynomial, stream, data.Length);
        var chunks = new List<(int, string)>();
        while (await chunker.NextAsync(TestContext.Current.CancellationToken) is { } chunk)
        {
            using (chunk)
            {
                chunks.Add((chunk.Length, Convert.ToHexStringLower(SHA256.HashData(chunk.Span))));
            }
        }

        chunks.ShouldBe(Enumerable.Repeat((SplitPointFinder.MinSize, "07854d2fef297a06ba81685e660c332de36d5d18d546927d30daad6d7fda1541"), 4));
    }

    [Fact]
    public async Task Empty_stream_has_no_chunks_and_small_stream_one()
    {
        await using var empty = new MemoryStream([]);
        using var chunker = new StreamChunker(TestPolynomial, empty, 0);
        (await chunker.NextAsync(TestContext.Current.CancellationToken)).ShouldBeNull();

        await using var small = new MemoryStream([1, 2, 3]);
        using var chunker2 = new StreamChunker(TestPolynomial, small, 3);
        using var only = await chunker2.NextAsync(TestContext.Current.CancellationToken);
        only.ShouldNotBeNull().Span.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        (await chunker2.NextAsync(TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public void Long_runs_without_cut_points_are_cut_at_the_maximum_size()
    {
        // A constant non-zero byte pattern: whatever cuts the fingerprint gives, none may exceed 8 MiB.
        var data = new byte[20 * 1024 * 1024];
        Array.Fill(data, (byte)0x5a);
        var finder = new SplitPointFinder(TestPolynomial);
        var position = 0;
        while (position < data.Length)
        {
            var consumed = finder.Next(data.AsSpan(position));
            if (consumed < 0)
            {
                break;
            }

            consumed.ShouldBeInRange(SplitPointFinder.MinSize, SplitPointFinder.MaxSize);
            position += consumed;
        }
    }
}
