using Cellar.Repository.Index;

namespace Cellar.Repository.Tests.Index;

/// <summary>The compact in-memory index: the same answers as the index files it was given, at any size.</summary>
public sealed class MasterIndexTests
{
    private static Id IdOf(int n) => Id.Hash(BitConverter.GetBytes(n));

    private static IndexFile FileWith(int packs, int blobsPerPack, int startAt)
    {
        var file = new IndexFile();
        var n = startAt;
        for (var p = 0; p < packs; p++)
        {
            var pack = new IndexPack(IdOf(-1 - ((startAt / blobsPerPack) + p)));
            for (var b = 0; b < blobsPerPack; b++, n++)
            {
                pack.Blobs.Add(new PackedBlob(new BlobHandle(IdOf(n), n % 7 == 0 ? BlobType.Tree : BlobType.Data), pack.Id, b * 100L, 90 + (n % 5), n % 3 == 0 ? 0 : 200 + n));
            }

            file.Packs.Add(pack);
        }

        return file;
    }

    [Theory]
    [InlineData(7, 0)]
    [InlineData(4096, 1)]
    [InlineData(1 << 20, 0)]
    public void An_index_file_read_from_a_stream_in_chunks_gives_the_same_index_as_the_parsed_file(int readSize, int lengthHint)
    {
        // ~1.3 MB of JSON: tokens cross the reader's 64 KiB chunks and the stream's odd read sizes.
        var file = FileWith(packs: 12, blobsPerPack: 900, startAt: 0);
        file.Supersedes.Add(IdOf(-99));
        var json = file.ToJson();
        var parsed = new MasterIndex();
        parsed.Add(IdOf(5), IndexFile.Parse(json));
        var streamed = new MasterIndex();
        streamed.Add(IdOf(5), new TrickleStream(json, readSize), lengthHint == 1 ? json.Length : 0);

        streamed.BlobCount.ShouldBe(parsed.BlobCount);
        streamed.PackCount.ShouldBe(12);
        streamed.AllBlobs().ShouldBe(parsed.AllBlobs());
        var (id, back) = streamed.Files().Single();
        id.ShouldBe(IdOf(5));
        back.Supersedes.ShouldBe(new[] { IdOf(-99) });
        back.ToJson().ShouldBe(json);
    }

    [Fact]
    public void A_damaged_index_stream_is_reported_as_corrupt()
    {
        var json = FileWith(packs: 3, blobsPerPack: 100, startAt: 0).ToJson();
        Should.Throw<RepositoryCorruptException>(() => new MasterIndex().Add(IdOf(1), new TrickleStream(json[..(json.Length / 2)], 1000)));
    }

    /// <summary>A stream that returns at most a few bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int most) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));
    }

    [Fact]
    public void Every_blob_of_many_index_files_is_found_with_its_pack_offset_and_lengths()
    {
        var index = new MasterIndex();
        var files = Enumerable.Range(0, 5).Select(f => FileWith(packs: 40, blobsPerPack: 250, startAt: f * 10_000)).ToList();
        for (var f = 0; f < files.Count; f++)
        {
            index.Add(IdOf(1_000_000 + f), files[f]);
        }

        index.BlobCount.ShouldBe(50_000);
        index.PackCount.ShouldBe(200);
        foreach (var expected in files.SelectMany(f => f.Packs).SelectMany(p => p.Blobs))
        {
            index.TryLookup(expected.Blob, out var found).ShouldBeTrue();
            found.ShouldBe(expected);
            index.Contains(expected.Blob).ShouldBeTrue();
        }

        index.Contains(new BlobHandle(IdOf(123_456_789), BlobType.Data)).ShouldBeFalse();
        index.TryLookup(IdOf(7), BlobType.Data, out _).ShouldBeFalse(); // blob 7 is stored as a tree
        index.TryLookup(IdOf(7), BlobType.Tree, out _).ShouldBeTrue();
    }

    [Fact]
    public void A_blob_stored_twice_keeps_its_first_place_and_both_packs_list_it()
    {
        var index = new MasterIndex();
        var blob = new BlobHandle(IdOf(1), BlobType.Data);
        var packA = IdOf(-10);
        var packB = IdOf(-20);
        index.AddPack(packA, [new PackedBlob(blob, packA, 0, 50, 0), new PackedBlob(new BlobHandle(IdOf(2), BlobType.Data), packA, 50, 60, 0)]);
        index.AddPack(packB, [new PackedBlob(blob, packB, 300, 50, 0)]);

        index.BlobCount.ShouldBe(2);
        index.TryLookup(blob, out var found).ShouldBeTrue();
        found.PackId.ShouldBe(packA);
        index.BlobsInPack(packB).Single().Offset.ShouldBe(300);
        index.BlobsInPack(packA).Select(b => b.Offset).ShouldBe([0L, 50L]);
        index.AllBlobs().Count().ShouldBe(2);
        index.PackIds.ShouldBe([packA, packB], ignoreOrder: true);
        index.BlobsInPack(IdOf(-30)).ShouldBeEmpty();
    }

    [Fact]
    public void Files_gives_back_each_index_file_with_its_supersedes_packs_and_blobs_in_order()
    {
        var index = new MasterIndex();
        var file = FileWith(packs: 3, blobsPerPack: 4, startAt: 0);
        file.Supersedes.Add(IdOf(99));
        file.Packs.Add(new IndexPack(IdOf(-500))); // a pack listed without blobs
        index.Add(IdOf(1000), file);

        var (id, back) = index.Files().Single();
        id.ShouldBe(IdOf(1000));
        back.Supersedes.ShouldBe([IdOf(99)]);
        back.Packs.Select(p => p.Id).ShouldBe(file.Packs.Select(p => p.Id));
        back.Packs.Select(p => p.Blobs.ToList()).ShouldBe(file.Packs.Select(p => p.Blobs.ToList()));
        index.IndexFileIds.ShouldBe([IdOf(1000)]);
    }

    [Fact]
    public async Task Lookups_on_other_threads_while_files_are_added_find_every_blob_added_before_them()
    {
        var index = new MasterIndex();
        var files = Enumerable.Range(0, 20).Select(f => FileWith(packs: 10, blobsPerPack: 100, startAt: f * 1_000)).ToList();
        using var stop = new CancellationTokenSource();
        var added = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var misses = 0;
            while (!stop.IsCancellationRequested)
            {
                var known = Volatile.Read(ref added);
                for (var n = 0; n < known; n += 37)
                {
                    if (!index.TryLookup(IdOf(n), n % 7 == 0 ? BlobType.Tree : BlobType.Data, out var found) || found.Id != IdOf(n))
                    {
                        misses++;
                    }
                }
            }

            return misses;
        })).ToList();

        for (var f = 0; f < files.Count; f++)
        {
            index.Add(IdOf(5_000_000 + f), files[f]);
            Volatile.Write(ref added, (f + 1) * 1_000);
        }

        await stop.CancelAsync();
        (await Task.WhenAll(readers)).ShouldAllBe(m => m == 0);
        index.BlobCount.ShouldBe(20_000);
    }
}
