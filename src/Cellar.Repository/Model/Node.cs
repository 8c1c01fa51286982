using System.Text;
using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Model;

/// <summary>
/// One entry of a tree: a file, directory, symlink, device, FIFO or socket, with its metadata, as
/// restic's <c>Node</c>. Names and link targets are raw bytes (Linux file names need not be UTF-8).
/// </summary>
public sealed class Node
{
    /// <summary>The file name as raw bytes.</summary>
    public byte[] RawName { get; set; } = [];

    /// <summary>The file name as text (invalid UTF-8 shown as U+FFFD); setting stores its UTF-8 bytes.</summary>
    public string Name
    {
        get => Encoding.UTF8.GetString(RawName);
        set => RawName = Encoding.UTF8.GetBytes(value);
    }

    public string Type { get; set; } = NodeType.File;

    /// <summary>Go os.FileMode bits (see <see cref="GoFileMode"/>).</summary>
    public uint Mode { get; set; }

    public GoTime ModTime { get; set; } = GoTime.Zero;
    public GoTime AccessTime { get; set; } = GoTime.Zero;
    public GoTime ChangeTime { get; set; } = GoTime.Zero;
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public string? User { get; set; }
    public string? Group { get; set; }
    public ulong Inode { get; set; }
    public ulong DeviceId { get; set; }
    public ulong Size { get; set; }
    public ulong Links { get; set; }

    /// <summary>The symlink target as raw bytes, or null.</summary>
    public byte[]? RawLinkTarget { get; set; }

    public string? LinkTarget
    {
        get => RawLinkTarget is null ? null : Encoding.UTF8.GetString(RawLinkTarget);
        set => RawLinkTarget = value is null ? null : Encoding.UTF8.GetBytes(value);
    }

    public List<ExtendedAttribute>? ExtendedAttributes { get; set; }

    /// <summary>OS-specific attributes: name → raw JSON value, kept as read.</summary>
    public SortedDictionary<string, string>? GenericAttributes { get; set; }

    /// <summary>st_rdev of a device node.</summary>
    public ulong Device { get; set; }

    /// <summary>Data blob ids of a file's content, in order; null (not empty) for other types.</summary>
    public List<Id>? Content { get; set; }

    public Id? Subtree { get; set; }

    public string? Error { get; set; }

    public bool IsDirectory => Type == NodeType.Dir;

    /// <summary>A copy of this node whose own fields can be changed without touching it (lists and attributes are shared).</summary>
    internal Node Clone() => (Node)MemberwiseClone();

    public static Node FromJson(JsonElement e)
    {
        var node = new Node();
        var quotedName = e.GetGoString("name") ?? "";
        node.RawName = GoStrconv.TryUnquoteInner(quotedName) ?? Encoding.UTF8.GetBytes(quotedName);
        node.Type = e.GetGoString("type") ?? "";
        node.Mode = e.GetGoUInt32("mode");
        node.ModTime = e.GetGoTime("mtime");
        node.AccessTime = e.GetGoTime("atime");
        node.ChangeTime = e.GetGoTime("ctime");
        node.Uid = e.GetGoUInt32("uid");
        node.Gid = e.GetGoUInt32("gid");
        node.User = e.GetGoString("user");
        node.Group = e.GetGoString("group");
        node.Inode = e.GetGoUInt64("inode");
        node.DeviceId = e.GetGoUInt64("device_id");
        node.Size = e.GetGoUInt64("size");
        node.Links = e.GetGoUInt64("links");
        var raw = e.GetGoBytes("linktarget_raw");
        node.RawLinkTarget = raw ?? (e.GetGoString("linktarget") is { } target ? Encoding.UTF8.GetBytes(target) : null);
        if (e.TryGetGoProperty("extended_attributes", out var xattrs) && xattrs.ValueKind == JsonValueKind.Array)
        {
            node.ExtendedAttributes = [];
            foreach (var x in xattrs.EnumerateArray())
            {
                node.ExtendedAttributes.Add(new ExtendedAttribute(x.GetGoString("name") ?? "", x.GetGoBytes("value")));
            }
        }

        if (e.TryGetGoProperty("generic_attributes", out var generic) && generic.ValueKind == JsonValueKind.Object)
        {
            node.GenericAttributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in generic.EnumerateObject())
            {
                node.GenericAttributes[property.Name] = property.Value.GetRawText();
            }
        }

        node.Device = e.GetGoUInt64("device");
        if (e.TryGetGoProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            node.Content = new List<Id>(content.GetArrayLength());
            foreach (var id in content.EnumerateArray())
            {
                node.Content.Add(Id.Parse(id.GetString() ?? ""));
            }
        }

        node.Subtree = e.GetGoId("subtree");
        node.Error = e.GetGoString("error");
        return node;
    }

    /// <summary>Writes the node as restic's Go code marshals it (field order, omitempty, name quoting).</summary>
    public void WriteTo(GoJsonWriter w)
    {
        w.StartObject();
        w.Name("name");
        if (GoStrconv.IsQuotedAsIs(RawName))
        {
            w.StringBytes(RawName);
        }
        else
        {
            w.String(GoStrconv.QuoteInner(RawName));
        }
        w.Name("type");
        w.String(Type);
        if (Mode != 0)
        {
            w.Name("mode");
            w.Number(Mode);
        }

        w.Name("mtime");
        w.Time(ModTime);
        w.Name("atime");
        w.Time(AccessTime);
        w.Name("ctime");
        w.Time(ChangeTime);
        w.Name("uid");
        w.Number(Uid);
        w.Name("gid");
        w.Number(Gid);
        WriteOptional(w, "user", User);
        WriteOptional(w, "group", Group);
        WriteOptional(w, "inode", Inode);
        WriteOptional(w, "device_id", DeviceId);
        WriteOptional(w, "size", Size);
        WriteOptional(w, "links", Links);
        if (RawLinkTarget is { Length: > 0 })
        {
            w.Name("linktarget");
            w.StringBytes(RawLinkTarget);
            if (!System.Text.Unicode.Utf8.IsValid(RawLinkTarget))
            {
                w.Name("linktarget_raw");
                w.Base64(RawLinkTarget);
            }
        }

        if (ExtendedAttributes is { Count: > 0 })
        {
            w.Name("extended_attributes");
            w.StartArray();
            foreach (var x in ExtendedAttributes)
            {
                w.StartObject();
                w.Name("name");
                w.String(x.Name);
                w.Name("value");
                if (x.Value is null) w.Null(); else w.Base64(x.Value);
                w.EndObject();
            }

            w.EndArray();
        }

        if (GenericAttributes is { Count: > 0 })
        {
            w.Name("generic_attributes");
            w.StartObject();
            foreach (var (key, value) in GenericAttributes)
            {
                w.Name(key);
                w.RawJson(Encoding.UTF8.GetBytes(value));
            }

            w.EndObject();
        }

        WriteOptional(w, "device", Device);
        w.Name("content");
        if (Content is null)
        {
            w.Null();
        }
        else
        {
            w.StartArray();
            foreach (var id in Content)
            {
                w.Id(id);
            }

            w.EndArray();
        }

        if (Subtree is { } subtree)
        {
            w.Name("subtree");
            w.Id(subtree);
        }

        WriteOptional(w, "error", Error);
        w.EndObject();
    }

    private static void WriteOptional(GoJsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.Name(name);
            w.String(value);
        }
    }

    private static void WriteOptional(GoJsonWriter w, string name, ulong value)
    {
        if (value != 0)
        {
            w.Name(name);
            w.Number(value);
        }
    }
}
