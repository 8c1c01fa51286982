using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cellar.Databases.Sqlite;

/// <summary>Cellar's header beside an SQLite backup copy: where the file lived (with its owner, mode and mtime), the library version, the integrity check, and each table's rows.</summary>
public sealed record SqliteDumpHeader
{
    public const string FileName = "cellar-sqlite.json";
    public const string DatabaseStream = "database.sqlite";
    public const string CurrentFormat = "cellar-sqlite-dump/1";

    public string Format { get; init; } = CurrentFormat;

    public string SqliteVersion { get; init; } = "";

    public string Path { get; init; } = "";

    public int? Uid { get; init; }

    public int? Gid { get; init; }

    public int Mode { get; init; }

    public DateTime MtimeUtc { get; init; }

    /// <summary>The file's modification time exactly (seconds and nanoseconds since the epoch; <see cref="MtimeUtc"/> keeps only 100 ns); absent in older headers.</summary>
    public long[]? MtimeUnix { get; init; }

    public string IntegrityCheck { get; init; } = "";

    public IReadOnlyList<SqliteDumpTable> Tables { get; init; } = [];

    public int Views { get; init; }

    public int Triggers { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SqliteDumpHeaderJson.Default.SqliteDumpHeader);

    public static SqliteDumpHeader FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var header = JsonSerializer.Deserialize(json, SqliteDumpHeaderJson.Default.SqliteDumpHeader) ?? throw new FormatException("empty header");
            return header.Format == CurrentFormat ? header : throw new FormatException($"format '{header.Format}' is not '{CurrentFormat}'");
        }
        catch (JsonException ex)
        {
            throw new FormatException("the SQLite dump header is not valid JSON: " + ex.Message, ex);
        }
    }
}

/// <summary>One table of an <see cref="SqliteDumpHeader"/>.</summary>
public sealed record SqliteDumpTable(string Name, long Rows);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SqliteDumpHeader))]
internal sealed partial class SqliteDumpHeaderJson : JsonSerializerContext;
