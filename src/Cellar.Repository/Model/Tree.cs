using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Model;

/// <summary>A directory listing: the nodes of one directory, sorted by name, stored as a tree blob.</summary>
public sealed class Tree
{
    public List<Node> Nodes { get; } = [];

    /// <summary>Reads a tree blob (one forward pass, see <see cref="TreeReader"/>).</summary>
    public static Tree Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return TreeReader.Read(json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"a tree is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads a tree blob through a JSON document and <see cref="Node.FromJson"/>: the reference
    /// <see cref="Parse"/> is checked against.
    /// </summary>
    internal static Tree ParseDocument(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var tree = new Tree();
            if (document.RootElement.TryGetGoProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
            {
                foreach (var node in nodes.EnumerateArray())
                {
                    tree.Nodes.Add(Node.FromJson(node));
                }
            }

            return tree;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"a tree is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The tree blob bytes as restic writes them: <c>{"nodes":[...]}</c> and a newline.</summary>
    public byte[] ToBlob()
    {
        var w = new GoJsonWriter(256 + (Nodes.Count * 256));
        w.StartObject();
        w.Name("nodes");
        w.StartArray();
        foreach (var node in Nodes)
        {
            node.WriteTo(w);
        }

        w.EndArray();
        w.EndObject();
        w.RawBytes("\n"u8);
        return w.ToArray();
    }

    /// <summary>The node with this raw name, or null.</summary>
    public Node? Find(ReadOnlySpan<byte> rawName)
    {
        foreach (var node in Nodes)
        {
            if (rawName.SequenceEqual(node.RawName))
            {
                return node;
            }
        }

        return null;
    }
}
