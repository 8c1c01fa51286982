using System.Globalization;
using System.Text;

namespace Cellar.Repository.Json;

/// <summary>
/// Go's <c>strconv.Quote</c> and <c>strconv.Unquote</c> for double-quoted strings, on raw bytes.
/// restic stores node names as the quoted form without its surrounding quotes, so names that are
/// not valid UTF-8 survive JSON (<c>\xff</c> for an invalid byte).
/// </summary>
internal static class GoStrconv
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Whether <see cref="QuoteInner"/> returns the bytes unchanged (printable ASCII without quote or backslash).</summary>
    public static bool IsQuotedAsIs(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b < 0x20 || b > 0x7e || b == '"' || b == '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text between the quotes that <c>strconv.Quote</c> makes of <paramref name="value"/>.</summary>
    public static string QuoteInner(ReadOnlySpan<byte> value)
    {
        var builder = new StringBuilder(value.Length + 8);
        while (!value.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(value, out var rune, out var width);
            if (status != System.Buffers.OperationStatus.Done)
            {
                builder.Append("\\x").Append(LowerHex[value[0] >> 4]).Append(LowerHex[value[0] & 0xF]);
                value = value[1..];
                continue;
            }

            value = value[width..];
            var r = rune.Value;
            if (r == '"' || r == '\\')
            {
                builder.Append('\\').Append((char)r);
            }
            else if (IsPrint(rune))
            {
                builder.Append(rune.ToString());
            }
            else
            {
                switch (r)
                {
                    case 7: builder.Append("\\a"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case 11: builder.Append("\\v"); break;
                    default:
                        if (r < ' ' || r == 0x7f)
                        {
                            builder.Append("\\x").Append(LowerHex[r >> 4]).Append(LowerHex[r & 0xF]);
                        }
                        else if (r < 0x10000)
                        {
                            builder.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
                        }

                        break;
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>Go's <c>strconv.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(Rune rune)
    {
        var r = rune.Value;
        if (r < 0x100)
        {
            return (r >= 0x20 && r < 0x7f) || (r >= 0xa1 && r != 0xad);
        }

        var category = (int)Rune.GetUnicodeCategory(rune);
        return category <= (int)UnicodeCategory.OtherNumber ||
               (category >= (int)UnicodeCategory.ConnectorPunctuation && category <= (int)UnicodeCategory.OtherSymbol);
    }

    /// <summary>
    /// The bytes <c>strconv.Unquote</c> returns for <c>"</c> + <paramref name="inner"/> + <c>"</c>, or null when
    /// Go would reject it (a raw quote or newline, a bad escape).
    /// </summary>
    public static byte[]? TryUnquoteInner(string inner)
    {
        if (inner.IndexOf('\\') < 0)
        {
            return inner.IndexOf('"') >= 0 || inner.IndexOf('\n') >= 0 ? null : Encoding.UTF8.GetBytes(inner);
        }

        var output = new List<byte>(inner.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < inner.Length;)
        {
            var c = inner[i];
            if (c == '"' || c == '\n')
            {
                return null;
            }

            if (c != '\\')
            {
                var status = Rune.DecodeFromUtf16(inner.AsSpan(i), out var rune, out var used);
                if (status != System.Buffers.OperationStatus.Done)
                {
                    rune = Rune.ReplacementChar;
                    used = 1;
                }

                var n = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < n; k++) output.Add(utf8[k]);
                i += used;
                continue;
            }

            if (i + 1 >= inner.Length)
            {
                return null;
            }

            var e = inner[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': output.Add(7); break;
                case 'b': output.Add(8); break;
                case 'f': output.Add(12); break;
                case 'n': output.Add(10); break;
                case 'r': output.Add(13); break;
                case 't': output.Add(9); break;
                case 'v': output.Add(11); break;
                case '\\': output.Add((byte)'\\'); break;
                case '"': output.Add((byte)'"'); break;
                case 'x':
                    if (!TryHex(inner, i, 2, out var b)) return null;
                    output.Add((byte)b);
                    i += 2;
                    break;
                case 'u':
                case 'U':
                    var digits = e == 'u' ? 4 : 8;
                    if (!TryHex(inner, i, digits, out var cp) || !Rune.IsValid(cp)) return null;
                    var len = new Rune(cp).EncodeToUtf8(utf8);
                    for (var k = 0; k < len; k++) output.Add(utf8[k]);
                    i += digits;
                    break;
                case >= '0' and <= '7':
                    if (i + 2 > inner.Length) return null;
                    var value = e - '0';
                    for (var k = 0; k < 2; k++)
                    {
                        var d = inner[i + k];
                        if (d < '0' || d > '7') return null;
                        value = (value * 8) + (d - '0');
                    }

                    if (value > 255) return null;
                    output.Add((byte)value);
                    i += 2;
                    break;
                default:
                    return null;
            }
        }

        return output.ToArray();
    }

    private static bool TryHex(string text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = text[i];
            int v = d switch
            {
                >= '0' and <= '9' => d - '0',
                >= 'a' and <= 'f' => d - 'a' + 10,
                >= 'A' and <= 'F' => d - 'A' + 10,
                _ => -1,
            };
            if (v < 0) return false;
            value = unchecked((value << 4) | v);
        }

        return true;
    }
}
