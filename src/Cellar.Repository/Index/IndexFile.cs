using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Index;

/// <summary>
/// One file in <c>index/</c>: the packs it describes and the blobs in each. Reads the current format
/// (<c>{"supersedes":[..],"packs":[..]}</c>) and the legacy one (a bare array of packs).
/// </summary>
internal sealed class IndexFile
{
    public List<Id> Supersedes { get; } = [];
    public List<IndexPack> Packs { get; } = [];

    /// <summary>Whether the file was in the legacy format (a bare array).</summary>
    public bool IsLegacy { get; internal set; }

    /// <summary>
    /// Reads an index file in one forward pass (no document tree: an index of 150,000 blobs would
    /// otherwise need tens of MiB of pooled parse buffers that the process keeps afterwards).
    /// Field names match as Go's encoding/json matches them (case-insensitively); unknown fields
    /// and values of another JSON type are ignored, as Go does.
    /// </summary>
    public static IndexFile Parse(ReadOnlySpan<byte> json)
    {
        var reader = new ChunkedJsonReader(json);
        return Read(ref reader, null);
    }

    /// <summary>
    /// Reads an index file from a stream in chunks, handing each pack to <paramref name="onPack"/>
    /// as it is read (its list is reused for the next pack, and the blobs' pack ids are not set):
    /// neither the file's JSON nor its blobs are ever whole in memory. The file returned has the
    /// supersedes list and format, and no packs.
    /// </summary>
    internal static IndexFile Read(Stream json, Action<Id, List<PackedBlob>> onPack)
    {
        var reader = new ChunkedJsonReader(json);
        return Read(ref reader, onPack);
    }

    private static IndexFile Read(ref ChunkedJsonReader reader, Action<Id, List<PackedBlob>>? onPack)
    {
        try
        {
            reader.Next();
            var index = new IndexFile();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                index.IsLegacy = true;
                ReadPacks(ref reader, index, onPack);
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Next() == JsonTokenType.PropertyName)
                {
                    var field = Field(ref reader, "supersedes", "packs");
                    reader.Next();
                    if (field == 0 && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Next() != JsonTokenType.EndArray)
                        {
                            index.Supersedes.Add(reader.TokenType == JsonTokenType.String ? ReadId(ref reader) : Id.Parse(""));
                        }
                    }
                    else if (field == 1 && reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadPacks(ref reader, index, onPack);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                throw new JsonException("an index file is a JSON object or array");
            }

            return index;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"an index file is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>The packs of an array the reader stands at the start of, into the file or to <paramref name="onPack"/>.</summary>
    private static void ReadPacks(ref ChunkedJsonReader reader, IndexFile index, Action<Id, List<PackedBlob>>? onPack)
    {
        var blobs = new List<PackedBlob>();
        while (reader.Next() != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a pack entry is not an object");
            }

            Id? packId = null;
            blobs.Clear();
            while (reader.Next() == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader, "id", "blobs");
                reader.Next();
                if (field == 0 && reader.TokenType == JsonTokenType.String)
                {
                    packId = ReadId(ref reader);
                }
                else if (field == 1 && reader.TokenType == JsonTokenType.StartArray)
                {
                    blobs.Clear();
                    while (reader.Next() != JsonTokenType.EndArray)
                    {
                        blobs.Add(ReadBlob(ref reader));
                    }
                }
                else
                {
                    if (field == 0)
                    {
                        packId = null;
                    }

                    reader.Skip();
                }
            }

            var id = packId ?? Id.Parse("");
            if (onPack is not null)
            {
                onPack(id, blobs);
                continue;
            }

            var pack = new IndexPack(id);
            pack.Blobs.Capacity = blobs.Count;
            foreach (var blob in blobs)
            {
                pack.Blobs.Add(blob with { PackId = id });
            }

            index.Packs.Add(pack);
        }
    }

    /// <summary>One blob entry (its pack id is filled in by the caller).</summary>
    private static PackedBlob ReadBlob(ref ChunkedJsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a blob entry is not an object");
        }

        Id? id = null;
        BlobType? type = null;
        ulong offset = 0, length = 0, uncompressed = 0;
        while (reader.Next() == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, "id", "type", "offset", "length", "uncompressed_length");
            reader.Next();
            var isString = reader.TokenType == JsonTokenType.String;
            var number = reader.TokenType == JsonTokenType.Number ? reader.GetUInt64() : 0;
            switch (field)
            {
                case 0:
                    id = isString ? ReadId(ref reader) : null;
                    break;
                case 1:
                    type = !isString ? null
                        : reader.ValueTextEquals("data"u8) ? BlobType.Data
                        : reader.ValueTextEquals("tree"u8) ? BlobType.Tree
                        : throw new FormatException($"unknown blob type '{reader.GetString()}'");
                    break;
                case 2:
                    offset = number;
                    break;
                case 3:
                    length = number;
                    break;
                case 4:
                    uncompressed = number;
                    break;
            }

            reader.Skip(); // leaves a scalar where it is; steps over an object or array
        }

        var blobType = type ?? throw new FormatException("unknown blob type ''");
        return new PackedBlob(new BlobHandle(id ?? Id.Parse(""), blobType), default, checked((long)offset), checked((int)length), checked((int)uncompressed));
    }

    /// <summary>The id in the string the reader stands at, read from its bytes.</summary>
    private static Id ReadId(ref ChunkedJsonReader reader)
    {
        var parsed = reader.ValueIsEscaped ? Id.TryParse(reader.GetString(), out var id) : Id.TryParse(reader.ValueSpan, out id);
        return parsed ? id : throw new FormatException($"'{reader.GetString()}' is not an id (64 hex digits).");
    }

    /// <summary>Which of the names the property the reader stands at is (Go matches case-insensitively), or -1.</summary>
    private static int Field(ref ChunkedJsonReader reader, params ReadOnlySpan<string> names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        var name = reader.GetString();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(name, names[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The JSON restic writes for an index file.</summary>
    public byte[] ToJson()
    {
        var w = new GoJsonWriter(1024);
        w.StartObject();
        if (Supersedes.Count > 0)
        {
            w.Name("supersedes");
            w.StartArray();
            foreach (var id in Supersedes) w.Id(id);
            w.EndArray();
        }

        w.Name("packs");
        w.StartArray();
        foreach (var pack in Packs)
        {
            w.StartObject();
            w.Name("id"); w.Id(pack.Id);
            w.Name("blobs");
            w.StartArray();
            foreach (var blob in pack.Blobs)
            {
                w.StartObject();
                w.Name("id"); w.Id(blob.Id);
                w.Name("type"); w.String(blob.Type == BlobType.Tree ? "tree" : "data");
                w.Name("offset"); w.Number(blob.Offset);
                w.Name("length"); w.Number(blob.Length);
                if (blob.UncompressedLength != 0)
                {
                    w.Name("uncompressed_length"); w.Number(blob.UncompressedLength);
                }

                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
        }

        w.EndArray();
        w.EndObject();
        return w.ToArray();
    }
}
