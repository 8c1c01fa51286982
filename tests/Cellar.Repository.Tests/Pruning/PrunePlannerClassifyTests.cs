using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Cellar.Repository.Packs;
using Cellar.Repository.Pruning;

namespace Cellar.Repository.Tests.Pruning;

/// <summary>
/// <see cref="PrunePlanner.Classify"/> on hand-made indexes: which packs prune keeps, deletes,
/// repacks or forgets, following restic's prune (internal/repository/prune.go: used blobs count once,
/// unused packs go whole, partly used ones are repacked while the unused space left exceeds
/// --max-unused, packs holding trees always).
/// </summary>
public sealed class PrunePlannerClassifyTests
{
    private readonly MasterIndex _index = new();
    private readonly Dictionary<Id, long> _stored = [];
    private readonly HashSet<BlobHandle> _used = [];
    private int _next;

    [Fact]
    public void A_fully_used_pack_is_kept_and_a_pack_with_nothing_used_is_deleted_whole()
    {
        var (full, fullBlobs) = Pack(BlobType.Data, 100, 200);
        var (empty, _) = Pack(BlobType.Data, 300, 400);
        Use(fullBlobs);

        var plan = Classify(MaxUnusedLimit.Default);

        plan.Remove.ShouldBe(new[] { empty });
        plan.Repack.ShouldBeEmpty();
        plan.RemoveUnreferenced.ShouldBeEmpty();
        Kept(plan).ShouldBe(new[] { full });
        plan.Statistics.UsedBlobs.ShouldBe(2);
        plan.Statistics.RemoveBlobs.ShouldBe(2);
        plan.Statistics.RemoveSize.ShouldBe(700);
        plan.Statistics.PacksKeep.ShouldBe(1);
        plan.Statistics.PacksUnused.ShouldBe(1);
    }

    [Fact]
    public void A_stored_pack_no_index_lists_is_removed_as_unreferenced_with_its_size_counted()
    {
        var (kept, blobs) = Pack(BlobType.Data, 50);
        Use(blobs);
        var stray = NewId();
        _stored[stray] = 12345;

        var plan = Classify(MaxUnusedLimit.Default);

        plan.RemoveUnreferenced.ShouldBe(new[] { stray });
        plan.Remove.ShouldBeEmpty();
        Kept(plan).ShouldBe(new[] { kept });
        plan.Statistics.UnreferencedSize.ShouldBe(12345);
        plan.Statistics.FreedSize.ShouldBe(12345);
    }

    [Fact]
    public void A_partly_used_data_pack_is_kept_within_the_unused_limit_and_repacked_beyond_it()
    {
        var (partly, blobs) = Pack(BlobType.Data, 1000, 10);
        Use(blobs[0]);

        var tolerant = Classify(MaxUnusedLimit.Parse("5%"));
        tolerant.Repack.ShouldBeEmpty("10 unused bytes beside 1000 used are under 5%");
        Kept(tolerant).ShouldBe(new[] { partly });

        var strict = Classify(MaxUnusedLimit.Parse("0"));
        strict.Repack.ShouldBe(new[] { partly });
        strict.Statistics.RepackRemoveBlobs.ShouldBe(1);
        strict.Statistics.RepackRemoveSize.ShouldBe(10);
        strict.Statistics.UnusedAfter.ShouldBe(0);
        strict.HasWork.ShouldBeTrue();
    }

    [Fact]
    public void A_partly_used_pack_holding_trees_is_repacked_even_with_no_unused_limit()
    {
        var (trees, blobs) = Pack(BlobType.Tree, 100, 100);
        Use(blobs[0]);

        var plan = Classify(MaxUnusedLimit.Unlimited);

        plan.Repack.ShouldBe(new[] { trees });
        plan.Statistics.PacksPartlyUsed.ShouldBe(1);
    }

    [Fact]
    public void A_used_blob_kept_twice_keeps_the_copy_in_the_needed_pack_and_deletes_the_pack_of_duplicates()
    {
        var shared = new BlobHandle(NewId(), BlobType.Data);
        var unique = new BlobHandle(NewId(), BlobType.Data);
        var needed = PackOf((unique, 100), (shared, 50));
        var duplicates = PackOf((shared, 50));
        Use(unique, shared);

        var plan = Classify(MaxUnusedLimit.Default);

        plan.Remove.ShouldBe(new[] { duplicates });
        plan.Repack.ShouldBeEmpty();
        Kept(plan).ShouldBe(new[] { needed });
        plan.Statistics.UsedBlobs.ShouldBe(2);
        plan.Statistics.DuplicateBlobs.ShouldBe(1);
        plan.Statistics.DuplicateSize.ShouldBe(50);
    }

    [Fact]
    public void An_indexed_pack_missing_from_the_backend_that_holds_nothing_used_is_forgotten_from_the_index()
    {
        var (present, blobs) = Pack(BlobType.Data, 10);
        var (missing, _) = Pack(BlobType.Data, 20);
        _stored.Remove(missing);
        Use(blobs);

        var plan = Classify(MaxUnusedLimit.Default);

        plan.ForgetMissing.ShouldBe(new[] { missing });
        plan.Remove.ShouldBeEmpty();
        Kept(plan).ShouldBe(new[] { present });
    }

    [Fact]
    public void A_used_blob_in_no_stored_pack_aborts_before_anything_is_planned()
    {
        var (missing, blobs) = Pack(BlobType.Data, 10);
        _stored.Remove(missing);
        Use(blobs);

        var error = Should.Throw<PruneAbortedException>(() => Classify(MaxUnusedLimit.Default));

        error.Message.ShouldContain("1 blobs the snapshots need are in no pack");
        error.Message.ShouldContain("removed nothing");
    }

    [Fact]
    public void A_pack_holding_used_data_with_the_wrong_size_aborts()
    {
        var (pack, blobs) = Pack(BlobType.Data, 10);
        _stored[pack] += 1;
        Use(blobs);

        var error = Should.Throw<PruneAbortedException>(() => Classify(MaxUnusedLimit.Default));

        error.Message.ShouldContain($"pack {pack} holds used data");
    }

    private PrunePlan Classify(MaxUnusedLimit limit) => PrunePlanner.Classify(_index, _used, _stored, limit);

    /// <summary>The stored packs the plan leaves as they are.</summary>
    private List<Id> Kept(PrunePlan plan) =>
        _stored.Keys.Where(id => !plan.Repack.Contains(id) && !plan.Remove.Contains(id) && !plan.RemoveUnreferenced.Contains(id)).ToList();

    private void Use(params IEnumerable<BlobHandle> blobs) => _used.UnionWith(blobs);

    /// <summary>A stored, indexed pack of blobs of one type with these lengths.</summary>
    private (Id Pack, BlobHandle[] Blobs) Pack(BlobType type, params int[] lengths)
    {
        var blobs = lengths.Select(l => (new BlobHandle(NewId(), type), l)).ToArray();
        return (PackOf(blobs), blobs.Select(b => b.Item1).ToArray());
    }

    /// <summary>
    /// Indexes a pack and stores it at its true size: the blobs, then the encrypted header (one
    /// plain entry a blob, sealed) and its 4-byte length, as restic's design document lays it out.
    /// </summary>
    private Id PackOf(params (BlobHandle Blob, int Length)[] blobs)
    {
        var id = NewId();
        var pack = new IndexPack(id);
        long offset = 0;
        foreach (var (blob, length) in blobs)
        {
            pack.Blobs.Add(new PackedBlob(blob, id, offset, length, 0));
            offset += length;
        }

        var file = new IndexFile();
        file.Packs.Add(pack);
        _index.Add(NewId(), file);
        _stored[id] = offset + MasterKey.Overhead + 4 + (blobs.Length * PackHeader.PlainEntrySize);
        return id;
    }

    private Id NewId() => Id.Hash(BitConverter.GetBytes(++_next));
}
