using System.Buffers;
using System.Text;

namespace Cellar.Databases.MySql.Internal;

/// <summary>SQL literals and identifiers written exactly: quoted strings with MySQL escapes, hex for bytes, backticks for names.</summary>
internal static class SqlText
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create([0, (byte)'\'', (byte)'\\', (byte)'\n', (byte)'\r', 0x1A]);

    /// <summary>
    /// Permissive, as values already stored may need it (zero and invalid dates, ENUM's empty error
    /// value); Cellar's loader still fails on warnings that mean a value was changed.
    /// </summary>
    public const string SqlMode = "ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    public static readonly string SessionPrelude =
        "SET NAMES utf8mb4;\n" +
        "SET time_zone = '+00:00';\n" +
        $"SET sql_mode = '{SqlMode}';\n" +
        "SET foreign_key_checks = 0;\n" +
        "SET unique_checks = 0;\n";

    public static string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Appends <c>'…'</c> with backslash escapes; the bytes are UTF-8 and pass through unchanged otherwise.</summary>
    public static void AppendQuoted(ByteBuffer buffer, ReadOnlySpan<byte> value)
    {
        buffer.Append((byte)'\'');
        while (true)
        {
            var i = value.IndexOfAny(NeedsEscape);
            if (i < 0)
            {
                buffer.Append(value);
                break;
            }

            buffer.Append(value[..i]);
            var escaped = value[i] switch
            {
                0 => (byte)'0',
                (byte)'\n' => (byte)'n',
                (byte)'\r' => (byte)'r',
                0x1A => (byte)'Z',
                var other => other,
            };
            var span = buffer.GetSpan(2);
            span[0] = (byte)'\\';
            span[1] = escaped;
            buffer.Advance(2);
            value = value[(i + 1)..];
        }

        buffer.Append((byte)'\'');
    }

    /// <summary>Appends <c>0x…</c> (or <c>''</c> when empty).</summary>
    public static void AppendHex(ByteBuffer buffer, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            buffer.Append("''"u8);
            return;
        }

        buffer.Append("0x"u8);
        var span = buffer.GetSpan(checked(value.Length * 2));
        if (!Convert.TryToHexString(value, span, out var written))
        {
            throw new InvalidOperationException("hex buffer too small");
        }

        buffer.Advance(written);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
