using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cellar.Repository.Json;

/// <summary>
/// Writes JSON byte for byte as Go's <c>encoding/json</c> does: compact, HTML characters
/// (<c>&lt; &gt; &amp;</c>) and U+2028/U+2029 escaped as <c>\u003c</c> etc., invalid UTF-8 replaced by
/// <c>\ufffd</c>, other control characters as <c>\n \r \t \b \f</c> or <c>\u00XX</c> (lowercase hex),
/// byte slices as padded standard base64, times as RFC 3339 with nanoseconds.
/// </summary>
public sealed class GoJsonWriter
{
    private const string LowerHex = "0123456789abcdef";
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Stack<bool> _needsComma = new();
    private bool _afterName;

    public GoJsonWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void StartObject() => Open((byte)'{');

    public void EndObject() => Close((byte)'}');

    public void StartArray() => Open((byte)'[');

    public void EndArray() => Close((byte)']');

    public void Name(string name)
    {
        Separate();
        WriteUtf16String(name);
        Append((byte)':');
        _afterName = true;
    }

    public void String(string value)
    {
        Separate();
        WriteUtf16String(value);
    }

    /// <summary>A Go string holding arbitrary bytes (invalid UTF-8 becomes U+FFFD).</summary>
    public void StringBytes(ReadOnlySpan<byte> value)
    {
        Separate();
        WriteString(value);
    }

    public void Number(long value)
    {
        Separate();
        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        Append(digits[..length]);
    }

    public void Number(ulong value)
    {
        Separate();
        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        Append(digits[..length]);
    }

    public void Bool(bool value) => RawValue(value ? "true" : "false");

    public void Null() => RawValue("null");

    /// <summary>A list of strings as Go writes a []string: null when nil, else an array.</summary>
    public void Strings(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            Null();
            return;
        }

        StartArray();
        foreach (var value in values)
        {
            String(value);
        }

        EndArray();
    }

    public void Base64(ReadOnlySpan<byte> value) => String(Convert.ToBase64String(value));

    public void Time(GoTime value)
    {
        Separate();
        Span<byte> text = stackalloc byte[GoTime.MaxFormattedLength];
        WriteString(text[..value.Format(text)]);
    }

    public void Id(Id value)
    {
        Separate();
        Span<byte> id = stackalloc byte[Cellar.Repository.Id.Size];
        value.CopyTo(id);
        Span<byte> hex = stackalloc byte[2 + (2 * Cellar.Repository.Id.Size)];
        hex[0] = (byte)'"';
        for (var i = 0; i < id.Length; i++)
        {
            hex[1 + (2 * i)] = (byte)LowerHex[id[i] >> 4];
            hex[2 + (2 * i)] = (byte)LowerHex[id[i] & 0xF];
        }

        hex[^1] = (byte)'"';
        Append(hex);
    }

    /// <summary>Already-encoded JSON (Go's json.RawMessage), written as given.</summary>
    public void RawJson(ReadOnlySpan<byte> json)
    {
        Separate();
        Append(json);
    }

    /// <summary>Appends bytes outside the JSON structure (the newline after a tree).</summary>
    public void RawBytes(ReadOnlySpan<byte> bytes) => Append(bytes);

    private void RawValue(string ascii)
    {
        Separate();
        Append(Encoding.ASCII.GetBytes(ascii));
    }

    private void WriteUtf16String(string value)
    {
        if (value.Length > 256)
        {
            WriteString(Encoding.UTF8.GetBytes(value));
            return;
        }

        Span<byte> utf8 = stackalloc byte[256 * 3];
        WriteString(utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
    }

    private void Open(byte bracket)
    {
        Separate();
        Append(bracket);
        _needsComma.Push(false);
    }

    private void Close(byte bracket)
    {
        _needsComma.Pop();
        Append(bracket);
    }

    private void Separate()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_needsComma.Count > 0)
        {
            if (_needsComma.Peek())
            {
                Append((byte)',');
            }
            else
            {
                _needsComma.Pop();
                _needsComma.Push(true);
            }
        }
    }

    private void WriteString(ReadOnlySpan<byte> value)
    {
        Append((byte)'"');
        var start = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&')
                {
                    i++;
                    continue;
                }

                Append(value[start..i]);
                switch (b)
                {
                    case (byte)'"': Append("\\\""u8); break;
                    case (byte)'\\': Append("\\\\"u8); break;
                    case (byte)'\n': Append("\\n"u8); break;
                    case (byte)'\r': Append("\\r"u8); break;
                    case (byte)'\t': Append("\\t"u8); break;
                    case 8: Append("\\b"u8); break;
                    case 12: Append("\\f"u8); break;
                    default:
                        Append("\\u00"u8);
                        Append((byte)LowerHex[b >> 4]);
                        Append((byte)LowerHex[b & 0xF]);
                        break;
                }

                i++;
                start = i;
                continue;
            }

            var status = Rune.DecodeFromUtf8(value[i..], out var rune, out var width);
            if (status != OperationStatus.Done)
            {
                Append(value[start..i]);
                Append("\\ufffd"u8);
                i++;
                start = i;
                continue;
            }

            if (rune.Value is 0x2028 or 0x2029)
            {
                Append(value[start..i]);
                Append(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
                i += width;
                start = i;
                continue;
            }

            i += width;
        }

        Append(value[start..]);
        Append((byte)'"');
    }

    private void Append(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }
}
