using System.Buffers;
using System.Text;
using MySqlConnector;

namespace Cellar.MySql.Internal;

/// <summary>
/// Writes one table as a self-contained SQL stream: session settings, DROP/CREATE, then rows in key
/// order as multi-row INSERTs of at most <c>maxStatementBytes</c>. Unchanged data gives identical bytes.
/// </summary>
internal static class TableDumper
{
    public static async Task<(long Rows, long Bytes)> DumpAsync(MySqlConnection connection, TableInfo table, Stream output, int maxStatementBytes, CancellationToken ct)
    {
        var id = SqlText.Identifier(table.Name);
        var head = new StringBuilder();
        head.Append("-- cellar:table ").Append(table.StreamName).Append('\n');
        head.Append(SqlText.SessionPrelude);
        head.Append("DROP TABLE IF EXISTS ").Append(id).Append(";\n");
        head.Append(table.CreateStatement).Append(";\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        await output.WriteAsync(headBytes, ct).ConfigureAwait(false);
        long bytes = headBytes.Length;
        long rows = 0;
        if (table.Columns.Count == 0)
        {
            return (0, bytes);
        }

        var insertPrefix = Encoding.UTF8.GetBytes("INSERT INTO " + id + " (" + string.Join(",", table.Columns.Select(c => SqlText.Identifier(c.Name))) + ") VALUES\n");
        var select = "SELECT " + string.Join(",", table.Columns.Select(c => c.SelectExpression)) + " FROM " + id +
                     (table.OrderColumns.Count > 0 ? " ORDER BY " + string.Join(",", table.OrderColumns.Select(SqlText.Identifier)) : "");
        var kinds = table.Columns.Select(c => c.Kind).ToArray();
        var introducers = table.Columns.Select(c => c.Kind == ColumnKind.OtherText ? "_" + c.CharacterSet : null).ToArray();

        using var statement = new ByteBuffer(Math.Min(maxStatementBytes + (1 << 16), 1 << 22));
        using var row = new ByteBuffer(1 << 12);
        var value = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using var cmd = new MySqlCommand(select, connection);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                row.Clear();
                row.Append((byte)'(');
                for (var i = 0; i < kinds.Length; i++)
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

                    var length = checked((int)reader.GetBytes(i, 0, null, 0, 0));
                    if (length > value.Length)
                    {
                        ArrayPool<byte>.Shared.Return(value);
                        value = ArrayPool<byte>.Shared.Rent(length);
                    }

                    var read = length == 0 ? 0 : checked((int)reader.GetBytes(i, 0, value, 0, length));
                    var span = value.AsSpan(0, read);
                    switch (kinds[i])
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
                            SqlText.AppendHex(row, span, introducers[i]);
                            break;
                        default:
                            SqlText.AppendHex(row, span);
                            break;
                    }
                }

                row.Append((byte)')');
                if (statement.Length > 0 && statement.Length + row.Length + 2 > maxStatementBytes)
                {
                    bytes += await FlushAsync(statement, output, ct).ConfigureAwait(false);
                }

                if (statement.Length == 0)
                {
                    statement.Append(insertPrefix);
                }
                else
                {
                    statement.Append(",\n"u8);
                }

                statement.Append(row.Span);
                rows++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(value);
        }

        if (statement.Length > 0)
        {
            bytes += await FlushAsync(statement, output, ct).ConfigureAwait(false);
        }

        return (rows, bytes);
    }

    private static async ValueTask<int> FlushAsync(ByteBuffer statement, Stream output, CancellationToken ct)
    {
        statement.Append(";\n"u8);
        var length = statement.Length;
        await output.WriteAsync(statement.Memory, ct).ConfigureAwait(false);
        statement.Clear();
        return length;
    }
}
