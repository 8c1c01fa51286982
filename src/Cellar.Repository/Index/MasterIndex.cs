using System.Runtime.InteropServices;

namespace Cellar.Repository.Index;

/// <summary>
/// All index files in memory: blob → where it is stored, and pack → its blobs. Compact, since a
/// backup holds it whole and it has one entry per blob: one 64-byte struct per blob in one array,
/// an open-addressing table of 4-byte entry numbers keyed by the blob id, pack ids stored once
/// and blobs of a pack chained by entry number (no object per blob; ~80 bytes per blob in all,
/// against ~380 with dictionaries of records). Writers take a lock; lookups are lock-free and
/// safe from many threads, also while files are being added (a blob being added may or may not
/// be seen yet).
/// </summary>
internal sealed class MasterIndex
{
    private const int Empty = 0;

    private readonly Lock _lock = new();
    private readonly Dictionary<Id, int> _packNumbers = [];
    private readonly List<int> _packHeads = [];
    private readonly List<IndexFileRecord> _files = [];
    private readonly Dictionary<Id, int> _fileNumbers = [];
    private View _view = new(new Entry[256], new int[512], new Id[16]);
    private int _count;
    private int _packCount;
    private int _unique;
    private HashSet<Id>? _packIdSnapshot;

    public int BlobCount => Volatile.Read(ref _unique);

    public int PackCount => Volatile.Read(ref _packCount);

    /// <summary>The ids of the index files added.</summary>
    public ICollection<Id> IndexFileIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _files.Select(f => f.Id)];
            }
        }
    }

    /// <summary>The ids of the packs the index lists (a snapshot; cheap to ask again until something is added).</summary>
    public ICollection<Id> PackIds
    {
        get
        {
            lock (_lock)
            {
                return _packIdSnapshot ??= [.. _packNumbers.Keys];
            }
        }
    }

    /// <summary>Adds every pack and blob an index file lists (a blob stored twice keeps its first place).</summary>
    public void Add(Id indexFileId, IndexFile file)
    {
        lock (_lock)
        {
            var packs = new List<PackSpan>(file.Packs.Count);
            var blobs = 0;
            foreach (var pack in file.Packs)
            {
                blobs += pack.Blobs.Count;
            }

            EnsureEntries(_count + blobs);
            foreach (var pack in file.Packs)
            {
                var first = _count;
                var number = AddLocked(pack.Id, pack.Blobs);
                packs.Add(new PackSpan(number, first, _count - first));
            }

            AddRecordLocked(new IndexFileRecord(indexFileId, [.. file.Supersedes], file.IsLegacy, packs));
        }
    }

    private void AddRecordLocked(IndexFileRecord record)
    {
        if (_fileNumbers.TryGetValue(record.Id, out var existing))
        {
            _files[existing] = record;
        }
        else
        {
            _fileNumbers[record.Id] = _files.Count;
            _files.Add(record);
        }
    }

    /// <summary>
    /// Adds an index file read from a stream pack by pack: neither its JSON nor its blobs as
    /// records are ever whole in memory, only the compact entries they become.
    /// <paramref name="jsonLength"/> (0 if unknown) sizes the arrays once for the blobs the file
    /// likely lists, instead of growing them pack by pack: every array outgrown is large-object
    /// garbage that stays in memory until a full collection.
    /// </summary>
    public void Add(Id indexFileId, Stream json, long jsonLength = 0)
    {
        if (jsonLength > 0)
        {
            lock (_lock)
            {
                Reserve((int)Math.Min(jsonLength / IndexBytesPerBlob, int.MaxValue / 4));
            }
        }

        var packs = new List<PackSpan>();
        var file = IndexFile.Read(json, (packId, blobs) =>
        {
            lock (_lock)
            {
                EnsureEntries(_count + blobs.Count);
                var first = _count;
                var number = AddLocked(packId, blobs);
                packs.Add(new PackSpan(number, first, _count - first));
            }
        });
        lock (_lock)
        {
            AddRecordLocked(new IndexFileRecord(indexFileId, [.. file.Supersedes], file.IsLegacy, packs));
        }
    }

    /// <summary>Adds one pack's blobs (the writing side calls this as it finishes packs).</summary>
    public void AddPack(Id packId, IReadOnlyCollection<PackedBlob> blobs)
    {
        lock (_lock)
        {
            EnsureEntries(_count + blobs.Count);
            AddLocked(packId, blobs);
        }
    }

    public bool TryLookup(BlobHandle blob, out PackedBlob packed) => TryLookup(blob.Id, blob.Type, out packed);

    public bool TryLookup(Id id, BlobType type, out PackedBlob packed)
    {
        while (true)
        {
            var view = Volatile.Read(ref _view);
            var number = Find(view, id, type);
            if (number < 0)
            {
                packed = default;
                return false;
            }

            if (number >= view.Entries.Length || view.Entries[number].Pack >= view.Packs.Length)
            {
                // Added after this view was taken (the arrays grew since): look again in the new one.
                continue;
            }

            packed = ToPackedBlob(view, number);
            return true;
        }
    }

    public bool Contains(BlobHandle blob) => Find(Volatile.Read(ref _view), blob.Id, blob.Type) >= 0;

    /// <summary>The blobs the index lists for a pack (sorted by offset), or an empty list.</summary>
    public IReadOnlyList<PackedBlob> BlobsInPack(Id packId)
    {
        lock (_lock)
        {
            if (!_packNumbers.TryGetValue(packId, out var pack))
            {
                return [];
            }

            var view = _view;
            var result = new List<PackedBlob>();
            for (var number = _packHeads[pack]; number >= 0; number = view.Entries[number].NextInPack)
            {
                result.Add(ToPackedBlob(view, number));
            }

            result.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
            return result;
        }
    }

    /// <summary>Every blob once, where it is first stored.</summary>
    public IEnumerable<PackedBlob> AllBlobs()
    {
        View view;
        int count;
        lock (_lock)
        {
            view = _view;
            count = _count;
        }

        for (var number = 0; number < count; number++)
        {
            if (view.Entries[number].IsFirst)
            {
                yield return ToPackedBlob(view, number);
            }
        }
    }

    /// <summary>The index files as they were added (rebuilt from the compact entries).</summary>
    public IEnumerable<(Id IndexFileId, IndexFile File)> Files()
    {
        List<IndexFileRecord> files;
        View view;
        lock (_lock)
        {
            files = [.. _files];
            view = _view;
        }

        foreach (var record in files)
        {
            var file = new IndexFile { IsLegacy = record.IsLegacy };
            file.Supersedes.AddRange(record.Supersedes);
            foreach (var span in record.Packs)
            {
                var pack = new IndexPack(view.Packs[span.Pack]);
                for (var number = span.First; number < span.First + span.Count; number++)
                {
                    pack.Blobs.Add(ToPackedBlob(view, number));
                }

                file.Packs.Add(pack);
            }

            yield return (record.Id, file);
        }
    }

    private static PackedBlob ToPackedBlob(View view, int number)
    {
        ref readonly var entry = ref view.Entries[number];
        return new PackedBlob(new BlobHandle(entry.Id, entry.Type), view.Packs[entry.Pack], entry.Offset, entry.Length, entry.UncompressedLength);
    }

    private static int Hash(Id id, BlobType type) => id.GetHashCode() ^ ((int)type * unchecked((int)0x9E3779B9));

    /// <summary>The entry number of a blob's first place, or -1.</summary>
    private static int Find(View view, Id id, BlobType type)
    {
        var table = view.Table;
        var mask = table.Length - 1;
        var entries = view.Entries;
        for (var slot = Hash(id, type) & mask; ; slot = (slot + 1) & mask)
        {
            var value = Volatile.Read(ref table[slot]);
            if (value == Empty)
            {
                return -1;
            }

            var number = value - 1;
            if (number >= entries.Length)
            {
                // Written after this view's arrays were replaced: the blob exists; TryLookup retries with the new view.
                return number;
            }

            ref readonly var entry = ref entries[number];
            if (entry.Type == type && entry.Id.Equals(id))
            {
                return number;
            }
        }
    }

    /// <summary>Adds a pack's blobs under the lock; returns the pack's number.</summary>
    private int AddLocked(Id packId, IReadOnlyCollection<PackedBlob> blobs)
    {
        if (!_packNumbers.TryGetValue(packId, out var pack))
        {
            pack = _packCount;
            var packs = _view.Packs;
            if (pack == packs.Length)
            {
                var grown = new Id[packs.Length * 2];
                packs.CopyTo(grown, 0);
                Publish(_view with { Packs = grown });
            }

            _view.Packs[pack] = packId;
            _packNumbers.Add(packId, pack);
            _packHeads.Add(-1);
            Volatile.Write(ref _packCount, pack + 1);
            _packIdSnapshot = null;
        }

        foreach (var blob in blobs)
        {
            var number = _count;
            var view = _view;
            var first = Find(view, blob.Id, blob.Type) < 0;
            view.Entries[number] = new Entry
            {
                Id = blob.Id,
                Offset = blob.Offset,
                Length = blob.Length,
                UncompressedLength = blob.UncompressedLength,
                Pack = pack,
                NextInPack = _packHeads[pack],
                Type = blob.Type,
                IsFirst = first,
            };
            _packHeads[pack] = number;
            _count = number + 1;
            if (first)
            {
                if ((_unique + 1) * 2 > view.Table.Length)
                {
                    view = Publish(view with { Table = BuildTable(view.Entries, number, view.Table.Length * 2) });
                }

                Insert(view.Table, number, blob.Id, blob.Type);
                Volatile.Write(ref _unique, _unique + 1);
            }
        }

        return pack;
    }

    /// <summary>
    /// Room for this many more blobs in the entries and the table; a slight overestimate costs
    /// less than growing (restic's index JSON takes 120-140 bytes per blob; 110 is assumed).
    /// </summary>
    private void Reserve(int blobs)
    {
        EnsureEntries(_count + blobs);
        var tableSize = _view.Table.Length;
        while ((_unique + blobs) * 2 > tableSize)
        {
            tableSize *= 2;
        }

        if (tableSize != _view.Table.Length)
        {
            Publish(_view with { Table = BuildTable(_view.Entries, _count, tableSize) });
        }
    }

    private const int IndexBytesPerBlob = 110;

    private void EnsureEntries(int needed)
    {
        var entries = _view.Entries;
        if (needed <= entries.Length)
        {
            return;
        }

        var grown = new Entry[Math.Max(needed, entries.Length + (entries.Length / 2))];
        Array.Copy(entries, grown, _count);
        Publish(_view with { Entries = grown });
    }

    private View Publish(View view)
    {
        Volatile.Write(ref _view, view);
        return view;
    }

    /// <summary>A table of the given size holding the first place of every blob among the first <paramref name="count"/> entries.</summary>
    private static int[] BuildTable(Entry[] entries, int count, int size)
    {
        var table = new int[size];
        for (var number = 0; number < count; number++)
        {
            if (entries[number].IsFirst)
            {
                Insert(table, number, entries[number].Id, entries[number].Type);
            }
        }

        return table;
    }

    private static void Insert(int[] table, int number, Id id, BlobType type)
    {
        var mask = table.Length - 1;
        var slot = Hash(id, type) & mask;
        while (table[slot] != Empty)
        {
            slot = (slot + 1) & mask;
        }

        Volatile.Write(ref table[slot], number + 1);
    }

    /// <summary>The arrays lookups read, replaced as a whole when one grows.</summary>
    private sealed record View(Entry[] Entries, int[] Table, Id[] Packs);

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public Id Id;
        public long Offset;
        public int Length;
        public int UncompressedLength;
        public int Pack;
        public int NextInPack;
        public BlobType Type;
        public bool IsFirst;
    }

    private readonly record struct PackSpan(int Pack, int First, int Count);

    private sealed record IndexFileRecord(Id Id, Id[] Supersedes, bool IsLegacy, List<PackSpan> Packs);
}
