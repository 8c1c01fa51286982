using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Cellar.Repository.Json;

namespace Cellar.Repository.Model;

/// <summary>
/// Reads a tree blob in one forward pass straight into nodes: no document, no string per field.
/// Names, times and ids are read from the JSON bytes; the type and the user and group names of a
/// tree's nodes are shared strings. Field names match as Go's encoding/json matches them (exactly,
/// else case-insensitively); unknown fields and values of another JSON type are ignored, and when
/// a field appears twice the last one counts, as in Go.
/// </summary>
internal static class TreeReader
{
    private enum Field
    {
        Unknown, Name, Type, Mode, MTime, ATime, CTime, Uid, Gid, User, Group, Inode, DeviceId, Size, Links,
        LinkTarget, LinkTargetRaw, ExtendedAttributes, GenericAttributes, Device, Content, Subtree, Error,
    }

    private static readonly (string Name, Field Field)[] Fields =
    [
        ("name", Field.Name), ("type", Field.Type), ("mode", Field.Mode), ("mtime", Field.MTime), ("atime", Field.ATime),
        ("ctime", Field.CTime), ("uid", Field.Uid), ("gid", Field.Gid), ("user", Field.User), ("group", Field.Group),
        ("inode", Field.Inode), ("device_id", Field.DeviceId), ("size", Field.Size), ("links", Field.Links),
        ("linktarget", Field.LinkTarget), ("linktarget_raw", Field.LinkTargetRaw), ("extended_attributes", Field.ExtendedAttributes),
        ("generic_attributes", Field.GenericAttributes), ("device", Field.Device), ("content", Field.Content),
        ("subtree", Field.Subtree), ("error", Field.Error),
    ];

    private static readonly string[] Types =
        [NodeType.File, NodeType.Dir, NodeType.Symlink, NodeType.Dev, NodeType.CharDev, NodeType.Fifo, NodeType.Socket, NodeType.Irregular];

    /// <summary>The tree in <paramref name="json"/>; JSON or value errors surface as <see cref="JsonException"/>, <see cref="FormatException"/> or <see cref="InvalidOperationException"/>.</summary>
    public static Tree Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var tree = new Tree();
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            // Go decodes null into an empty tree and refuses any other value.
            return reader.TokenType == JsonTokenType.Null ? tree : throw new JsonException("a tree is a JSON object");
        }

        var strings = new SharedStrings();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var isNodes = Is(ref reader, "nodes"u8, "nodes");
            Next(ref reader);
            if (!isNodes)
            {
                reader.Skip();
                continue;
            }

            tree.Nodes.Clear();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    tree.Nodes.Add(ReadNode(ref reader, ref strings, json));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return tree;
    }

    private static Node ReadNode(ref Utf8JsonReader reader, ref SharedStrings strings, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a tree node is not an object");
        }

        var node = new Node();
        byte[]? linkTarget = null, linkTargetRaw = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            var token = Next(ref reader);
            var isString = token == JsonTokenType.String;
            var isNumber = token == JsonTokenType.Number;
            switch (field)
            {
                case Field.Name:
                    node.RawName = isString ? ReadName(ref reader) : [];
                    break;
                case Field.Type:
                    node.Type = isString ? strings.Type(ref reader) : "";
                    break;
                case Field.Mode:
                    node.Mode = isNumber ? reader.GetUInt32() : 0;
                    break;
                case Field.MTime:
                    node.ModTime = isString ? ReadTime(ref reader) : GoTime.Zero;
                    break;
                case Field.ATime:
                    node.AccessTime = isString ? ReadTime(ref reader) : GoTime.Zero;
                    break;
                case Field.CTime:
                    node.ChangeTime = isString ? ReadTime(ref reader) : GoTime.Zero;
                    break;
                case Field.Uid:
                    node.Uid = isNumber ? reader.GetUInt32() : 0;
                    break;
                case Field.Gid:
                    node.Gid = isNumber ? reader.GetUInt32() : 0;
                    break;
                case Field.User:
                    node.User = isString ? strings.User(ref reader) : null;
                    break;
                case Field.Group:
                    node.Group = isString ? strings.Group(ref reader) : null;
                    break;
                case Field.Inode:
                    node.Inode = isNumber ? reader.GetUInt64() : 0;
                    break;
                case Field.DeviceId:
                    node.DeviceId = isNumber ? reader.GetUInt64() : 0;
                    break;
                case Field.Size:
                    node.Size = isNumber ? reader.GetUInt64() : 0;
                    break;
                case Field.Links:
                    node.Links = isNumber ? reader.GetUInt64() : 0;
                    break;
                case Field.LinkTarget:
                    linkTarget = isString ? Encoding.UTF8.GetBytes(reader.GetString()!) : null;
                    break;
                case Field.LinkTargetRaw:
                    linkTargetRaw = isString ? reader.GetBytesFromBase64() : null;
                    break;
                case Field.ExtendedAttributes:
                    node.ExtendedAttributes = token == JsonTokenType.StartArray ? ReadExtendedAttributes(ref reader) : null;
                    break;
                case Field.GenericAttributes:
                    node.GenericAttributes = token == JsonTokenType.StartObject ? ReadGenericAttributes(ref reader, json) : null;
                    break;
                case Field.Device:
                    node.Device = isNumber ? reader.GetUInt64() : 0;
                    break;
                case Field.Content:
                    node.Content = token == JsonTokenType.StartArray ? ReadIds(ref reader) : null;
                    break;
                case Field.Subtree:
                    node.Subtree = isString ? ReadId(ref reader) : null;
                    break;
                case Field.Error:
                    node.Error = isString ? reader.GetString() : null;
                    break;
            }

            reader.Skip(); // leaves a scalar where it is; steps over an object or array not read above
        }

        node.RawLinkTarget = linkTargetRaw ?? linkTarget;
        return node;
    }

    /// <summary>A node name: restic stores it Go-quoted without the quotes, so bytes that are not UTF-8 survive.</summary>
    private static byte[] ReadName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && Utf8.IsValid(reader.ValueSpan))
        {
            // No backslash, so nothing to unquote (a quote or newline cannot appear unescaped).
            return reader.ValueSpan.ToArray();
        }

        var quoted = reader.GetString()!;
        return GoStrconv.TryUnquoteInner(quoted) ?? Encoding.UTF8.GetBytes(quoted);
    }

    private static GoTime ReadTime(ref Utf8JsonReader reader)
    {
        var parsed = reader.ValueIsEscaped ? GoTime.TryParse(reader.GetString()!, out var time) : GoTime.TryParse(reader.ValueSpan, out time);
        return parsed ? time : throw new FormatException($"'{reader.GetString()}' is not an RFC 3339 time.");
    }

    private static Id ReadId(ref Utf8JsonReader reader)
    {
        var parsed = reader.ValueIsEscaped ? Id.TryParse(reader.GetString(), out var id) : Id.TryParse(reader.ValueSpan, out id);
        return parsed ? id : throw new FormatException($"'{reader.GetString()}' is not an id (64 hex digits).");
    }

    private static List<Id> ReadIds(ref Utf8JsonReader reader)
    {
        var ids = new List<Id>(1);
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            ids.Add(reader.TokenType == JsonTokenType.String ? ReadId(ref reader) : throw new FormatException("a content id is not a string"));
        }

        return ids;
    }

    private static List<ExtendedAttribute> ReadExtendedAttributes(ref Utf8JsonReader reader)
    {
        var attributes = new List<ExtendedAttribute>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("an extended attribute is not an object");
            }

            string? name = null;
            byte[]? value = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var isName = Is(ref reader, "name"u8, "name");
                var isValue = !isName && Is(ref reader, "value"u8, "value");
                var isString = Next(ref reader) == JsonTokenType.String;
                if (isName)
                {
                    name = isString ? reader.GetString() : null;
                }
                else if (isValue)
                {
                    value = isString ? reader.GetBytesFromBase64() : null;
                }

                reader.Skip();
            }

            attributes.Add(new ExtendedAttribute(name ?? "", value));
        }

        return attributes;
    }

    /// <summary>Name → the value's raw JSON text, as read.</summary>
    private static SortedDictionary<string, string> ReadGenericAttributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Next(ref reader);
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            attributes[name] = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
        }

        return attributes;
    }

    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            foreach (var (text, field) in Fields)
            {
                if (name.Length == text.Length && Ascii.Equals(name, text))
                {
                    return field;
                }
            }

            if (Ascii.IsValid(name))
            {
                foreach (var (text, field) in Fields)
                {
                    if (Ascii.EqualsIgnoreCase(name, text))
                    {
                        return field;
                    }
                }

                return Field.Unknown;
            }
        }

        var unescaped = reader.GetString();
        foreach (var (text, field) in Fields)
        {
            if (string.Equals(unescaped, text, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        return Field.Unknown;
    }

    /// <summary>Whether the property name the reader stands at is <paramref name="name"/> as Go matches it.</summary>
    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, string name) =>
        reader.ValueTextEquals(utf8)
        || (!reader.ValueIsEscaped && Ascii.IsValid(reader.ValueSpan)
            ? Ascii.EqualsIgnoreCase(reader.ValueSpan, utf8)
            : string.Equals(reader.GetString(), name, StringComparison.OrdinalIgnoreCase));

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the tree ends early");

    /// <summary>The strings of one tree that repeat from node to node, made once.</summary>
    private struct SharedStrings
    {
        private (byte[] Utf8, string Text)? _user;
        private (byte[] Utf8, string Text)? _group;

        public readonly string Type(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                foreach (var type in Types)
                {
                    if (Ascii.Equals(reader.ValueSpan, type))
                    {
                        return type;
                    }
                }
            }

            return reader.GetString()!;
        }

        public string User(ref Utf8JsonReader reader) => Shared(ref reader, ref _user);

        public string Group(ref Utf8JsonReader reader) => Shared(ref reader, ref _group);

        private static string Shared(ref Utf8JsonReader reader, ref (byte[] Utf8, string Text)? last)
        {
            if (last is { } known && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(known.Utf8))
            {
                return known.Text;
            }

            var text = reader.GetString()!;
            if (!reader.ValueIsEscaped)
            {
                last = (reader.ValueSpan.ToArray(), text);
            }

            return text;
        }
    }
}
