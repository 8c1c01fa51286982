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
        try
        {
            var reader = new Utf8JsonReader(json);
            Read(ref reader);
            var index = new IndexFile();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                index.IsLegacy = true;
                ReadPacks(ref reader, index);
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (Read(ref reader) == JsonTokenType.PropertyName)
                {
                    var field = Field(ref reader, "supersedes", "packs");
                    Read(ref reader);
                    if (field == 0 && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (Read(ref reader) != JsonTokenType.EndArray)
                        {
                            index.Supersedes.Add(Id.Parse(reader.TokenType == JsonTokenType.String ? reader.GetString()! : ""));
                        }
                    }
                    else if (field == 1 && reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadPacks(ref reader, index);
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

    /// <summary>The packs of an array the reader stands at the start of.</summary>
    private static void ReadPacks(ref Utf8JsonReader reader, IndexFile index)
    {
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a pack entry is not an object");
            }

            string? packId = null;
            List<PackedBlob>? blobs = null;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader, "id", "blobs");
                Read(ref reader);
                if (field == 0 && reader.TokenType == JsonTokenType.String)
                {
                    packId = reader.GetString();
                }
                else if (field == 1 && reader.TokenType == JsonTokenType.StartArray)
                {
                    blobs = [];
                    while (Read(ref reader) != JsonTokenType.EndArray)
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

            var pack = new IndexPack(Id.Parse(packId ?? ""));
            if (blobs is not null)
            {
                pack.Blobs.Capacity = blobs.Count;
                foreach (var blob in blobs)
                {
                    pack.Blobs.Add(blob with { PackId = pack.Id });
                }
            }

            index.Packs.Add(pack);
        }
    }

    /// <summary>One blob entry (its pack id is filled in by the caller).</summary>
    private static PackedBlob ReadBlob(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a blob entry is not an object");
        }

        string? id = null;
        string? type = null;
        ulong offset = 0, length = 0, uncompressed = 0;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, "id", "type", "offset", "length", "uncompressed_length");
            Read(ref reader);
            var isString = reader.TokenType == JsonTokenType.String;
            var number = reader.TokenType == JsonTokenType.Number ? reader.GetUInt64() : 0;
            switch (field)
            {
                case 0:
                    id = isString ? reader.GetString() : null;
                    break;
                case 1:
                    type = isString ? reader.GetString() : null;
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

        var blobType = type switch
        {
            "data" => BlobType.Data,
            "tree" => BlobType.Tree,
            var other => throw new FormatException($"unknown blob type '{other}'"),
        };
        return new PackedBlob(new BlobHandle(Id.Parse(id ?? ""), blobType), default, checked((long)offset), checked((int)length), checked((int)uncompressed));
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the index file ends early");
        }

        return reader.TokenType;
    }

    /// <summary>Which of the names the property the reader stands at is (Go matches case-insensitively), or -1.</summary>
    private static int Field(ref Utf8JsonReader reader, params ReadOnlySpan<string> names)
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
