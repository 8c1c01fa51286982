using System.Text;
using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Writes one table as a self-contained SQL stream: session settings, DROP/CREATE, then rows in key
/// order as multi-row INSERTs of at most <c>maxStatementBytes</c>. Unchanged data gives identical bytes.
/// One statement is written while the next is filled (two buffers), so disk and formatting overlap.
/// A key range after the first of a split table (<see cref="TableChunk"/>) gets the session settings
/// and its rows only.
/// </summary>
internal static class TableDumper
{
    public static async Task<(long Rows, long Bytes)> DumpAsync(MySqlConnection connection, TableChunk chunk, Stream output, int maxStatementBytes, CancellationToken ct)
    {
        var table = chunk.Table;
        var id = SqlText.Identifier(table.Name);
        var head = new StringBuilder();
        if (chunk.IsFirst)
        {
            head.Append("-- cellar:table ").Append(table.StreamName).Append('\n');
            head.Append(SqlText.SessionPrelude);
            head.Append("DROP TABLE IF EXISTS ").Append(id).Append(";\n");
            head.Append(table.CreateStatement).Append(";\n");
        }
        else
        {
            head.Append("-- cellar:part ").Append(chunk.StreamName).Append('\n');
            head.Append(SqlText.SessionPrelude);
        }

        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        await output.WriteAsync(headBytes, ct).ConfigureAwait(false);
        long bytes = headBytes.Length;
        if (table.Columns.Count == 0)
        {
            return (0, bytes);
        }

        var insertPrefix = Encoding.UTF8.GetBytes("INSERT INTO " + id + " (" + string.Join(",", table.Columns.Select(c => SqlText.Identifier(c.Name))) + ") VALUES\n");
        var select = "SELECT " + string.Join(",", table.Columns.Select(c => c.SelectExpression)) + " FROM " + id + chunk.Where +
                     (table.OrderColumns.Count > 0 ? " ORDER BY " + string.Join(",", table.OrderColumns.Select(SqlText.Identifier)) : "");

        var capacity = Math.Min(maxStatementBytes + (1 << 16), 1 << 22);
        using var filling = new ByteBuffer(capacity);
        using var writing = new ByteBuffer(capacity);
        var (current, other) = (filling, writing);
        using var formatter = new RowFormatter(table.Columns);
        var pending = Task.CompletedTask;
        try
        {
            await using var cmd = new MySqlCommand(select, connection);
            if (chunk.Low is not null)
            {
                cmd.Parameters.AddWithValue("@low", chunk.Low);
            }

            if (chunk.High is not null)
            {
                cmd.Parameters.AddWithValue("@high", chunk.High);
            }

            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var cancel = ct.Register(static state => ((MySqlCommand)state!).Cancel(), cmd).ConfigureAwait(false);
            bool more;
            do
            {
                ct.ThrowIfCancellationRequested();
                more = formatter.Fill(reader, current, insertPrefix, maxStatementBytes);
                if (current.Length == 0)
                {
                    break;
                }

                current.Append(";\n"u8);
                bytes += current.Length;
                await pending.ConfigureAwait(false);
                pending = output.WriteAsync(current.Memory, ct).AsTask();
                (current, other) = (other, current);
                current.Clear();
            }
            while (more);
        }
        finally
        {
            await pending.ConfigureAwait(false);
        }

        return (formatter.Rows, bytes);
    }
}
