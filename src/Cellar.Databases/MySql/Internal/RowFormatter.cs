using System.Runtime.CompilerServices;
using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// The hot loop of a dump: reads rows off the text protocol (every value selected as bytes) and
/// appends them as SQL tuples to a statement buffer, one pooled value buffer, no per-value objects.
/// </summary>
internal sealed class RowFormatter : IDisposable
{
    private readonly ColumnKind[] _kinds;
    private readonly byte[]?[] _introducers;
    private readonly ByteBuffer _row = new(1 << 12);
    private byte[] _value = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
    private bool _carry;

    public RowFormatter(IReadOnlyList<ColumnInfo> columns)
    {
        _kinds = columns.Select(c => c.Kind).ToArray();
        _introducers = columns.Select(c => c.Kind == ColumnKind.OtherText ? SqlText.Utf8("_" + c.CharacterSet + " ") : null).ToArray();
    }

    public long Rows { get; private set; }

    /// <summary>
    /// Appends rows to <paramref name="statement"/> (after <paramref name="prefix"/> when empty) until the
    /// next row would take it past <paramref name="maxBytes"/> (that row is kept for the next statement)
    /// or the rows run out. Returns false when the rows ran out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Fill(MySqlDataReader reader, ByteBuffer statement, ReadOnlySpan<byte> prefix, int maxBytes)
    {
        if (_carry)
        {
            _carry = false;
            Append(statement, prefix);
        }

        while (reader.Read())
        {
            FormatRow(reader);
            if (statement.Length > 0 && statement.Length + _row.Length + 2 > maxBytes)
            {
                _carry = true;
                return true;
            }

            Append(statement, prefix);
        }

        return false;
    }

    public void Dispose()
    {
        _row.Dispose();
        System.Buffers.ArrayPool<byte>.Shared.Return(_value);
        _value = [];
    }

    private void Append(ByteBuffer statement, ReadOnlySpan<byte> prefix)
    {
        if (statement.Length == 0)
        {
            statement.Append(prefix);
        }
        else
        {
            statement.Append(",\n"u8);
        }

        statement.Append(_row.Span);
        Rows++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FormatRow(MySqlDataReader reader)
    {
        var row = _row;
        row.Clear();
        row.Append((byte)'(');
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (i > 0)
            {
                row.Append((byte)',');
            }

            if (reader.IsDBNull(i))
            {
                row.Append("NULL"u8);
                continue;
            }

            var span = Read(reader, i);
            switch (_kinds[i])
            {
                case ColumnKind.Number or ColumnKind.Float or ColumnKind.Bit:
                    row.Append(span);
                    break;
                case ColumnKind.Temporal:
                    row.Append((byte)'\'');
                    row.Append(span);
                    row.Append((byte)'\'');
                    break;
                case ColumnKind.Utf8Text:
                    SqlText.AppendQuoted(row, span);
                    break;
                case ColumnKind.OtherText:
                    row.Append(_introducers[i]);
                    SqlText.AppendHex(row, span);
                    break;
                default:
                    SqlText.AppendHex(row, span);
                    break;
            }
        }

        row.Append((byte)')');
    }

    /// <summary>The value's bytes: one copy into the pooled buffer, a second call only for values longer than it.</summary>
    private ReadOnlySpan<byte> Read(MySqlDataReader reader, int ordinal)
    {
        var read = checked((int)reader.GetBytes(ordinal, 0, _value, 0, _value.Length));
        if (read == _value.Length)
        {
            var length = checked((int)reader.GetBytes(ordinal, 0, null, 0, 0));
            if (length > read)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_value);
                _value = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                read = checked((int)reader.GetBytes(ordinal, 0, _value, 0, length));
            }
        }

        return _value.AsSpan(0, read);
    }
}
