using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Index;

/// <summary>
/// One file in <c>index/</c>: the packs it describes and the blobs in each. Reads the current format
/// (<c>{"supersedes":[..],"packs":[..]}</c>) and the legacy one (a bare array of packs).
/// </summary>
public sealed class IndexFile
{
    public List<Id> Supersedes { get; } = [];
    public List<IndexPack> Packs { get; } = [];

    /// <summary>Whether the file was in the legacy format (a bare array).</summary>
    public bool IsLegacy { get; internal set; }

    public static IndexFile Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var index = new IndexFile();
            JsonElement packs;
            if (root.ValueKind == JsonValueKind.Array)
            {
                index.IsLegacy = true;
                packs = root;
            }
            else
            {
                if (root.TryGetGoProperty("supersedes", out var supersedes) && supersedes.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in supersedes.EnumerateArray())
                    {
                        index.Supersedes.Add(Id.Parse(id.GetString() ?? ""));
                    }
                }

                if (!root.TryGetGoProperty("packs", out packs) || packs.ValueKind != JsonValueKind.Array)
                {
                    return index;
                }
            }

            foreach (var p in packs.EnumerateArray())
            {
                var pack = new IndexPack(Id.Parse(p.GetGoString("id") ?? ""));
                if (p.TryGetGoProperty("blobs", out var blobs) && blobs.ValueKind == JsonValueKind.Array)
                {
                    foreach (var b in blobs.EnumerateArray())
                    {
                        var type = b.GetGoString("type") switch
                        {
                            "data" => BlobType.Data,
                            "tree" => BlobType.Tree,
                            var other => throw new FormatException($"unknown blob type '{other}'"),
                        };
                        pack.Blobs.Add(new PackedBlob(
                            new BlobHandle(Id.Parse(b.GetGoString("id") ?? ""), type),
                            pack.Id,
                            checked((long)b.GetGoUInt64("offset")),
                            checked((int)b.GetGoUInt64("length")),
                            checked((int)b.GetGoUInt64("uncompressed_length"))));
                    }
                }

                index.Packs.Add(pack);
            }

            return index;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"an index file is not valid: {ex.Message}", ex);
        }
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
