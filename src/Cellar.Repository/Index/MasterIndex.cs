using System.Collections.Concurrent;

namespace Cellar.Repository.Index;

/// <summary>
/// All index files in memory: blob → where it is stored, and pack → its blobs. Lookups are
/// lock-free and safe from many threads, also while files are being added.
/// </summary>
public sealed class MasterIndex
{
    private readonly ConcurrentDictionary<BlobHandle, PackedBlob> _blobs = new();
    private readonly ConcurrentDictionary<Id, List<PackedBlob>> _packs = new();
    private readonly ConcurrentDictionary<Id, IndexFile> _files = new();

    public int BlobCount => _blobs.Count;

    public int PackCount => _packs.Count;

    /// <summary>The ids of the index files added.</summary>
    public ICollection<Id> IndexFileIds => _files.Keys;

    public ICollection<Id> PackIds => _packs.Keys;

    /// <summary>Adds every pack and blob an index file lists (a blob stored twice keeps its first place).</summary>
    public void Add(Id indexFileId, IndexFile file)
    {
        _files[indexFileId] = file;
        foreach (var pack in file.Packs)
        {
            AddPack(pack.Id, pack.Blobs);
        }
    }

    /// <summary>Adds one pack's blobs (the writing side calls this as it finishes packs).</summary>
    public void AddPack(Id packId, IReadOnlyCollection<PackedBlob> blobs)
    {
        var list = _packs.GetOrAdd(packId, _ => []);
        lock (list)
        {
            list.AddRange(blobs);
        }

        foreach (var blob in blobs)
        {
            _blobs.TryAdd(blob.Blob, blob);
        }
    }

    public bool TryLookup(BlobHandle blob, out PackedBlob packed) => _blobs.TryGetValue(blob, out packed);

    public bool TryLookup(Id id, BlobType type, out PackedBlob packed) => _blobs.TryGetValue(new BlobHandle(id, type), out packed);

    public bool Contains(BlobHandle blob) => _blobs.ContainsKey(blob);

    /// <summary>The blobs the index lists for a pack (sorted by offset), or an empty list.</summary>
    public IReadOnlyList<PackedBlob> BlobsInPack(Id packId)
    {
        if (!_packs.TryGetValue(packId, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.OrderBy(b => b.Offset).ToList();
        }
    }

    public IEnumerable<PackedBlob> AllBlobs() => _blobs.Values;

    public IEnumerable<(Id IndexFileId, IndexFile File)> Files() => _files.Select(f => (f.Key, f.Value));
}
