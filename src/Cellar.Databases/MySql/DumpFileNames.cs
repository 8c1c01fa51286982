using System.Text;

namespace Cellar.Databases.MySql;

/// <summary>
/// Names of the streams of a per-table dump: <see cref="Header"/> (JSON), one <c>table-….sql</c>
/// per table (name percent-encoded so any table name is a safe file name), and <see cref="Objects"/>
/// (views and triggers, loaded after all tables).
/// </summary>
public static class DumpFileNames
{
    public const string Header = "dump.json";
    public const string Objects = "views-and-triggers.sql";

    public static string ForTable(string table)
    {
        var sb = new StringBuilder("table-");
        foreach (var b in Encoding.UTF8.GetBytes(table))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'-')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.Append(".sql").ToString();
    }

    /// <summary>
    /// The stream of key range <paramref name="part"/> (1, 2, ...) of a table split by key ranges: rows
    /// only, loaded after the table's own stream (<see cref="ForTable"/>, its definition and first range).
    /// </summary>
    public static string ForTablePart(string table, int part) =>
        ForTable(table)[..^4] + ".part" + part.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + ".sql";

    /// <summary>The table name a <see cref="ForTable"/> stream name stands for.</summary>
    public static string TableOf(string streamName)
    {
        var core = streamName.StartsWith("table-", StringComparison.Ordinal) && streamName.EndsWith(".sql", StringComparison.Ordinal) ? streamName[6..^4] : streamName;
        var bytes = new List<byte>();
        for (var i = 0; i < core.Length; i++)
        {
            if (core[i] == '%' && i + 2 < core.Length + 0 && byte.TryParse(core.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)core[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
