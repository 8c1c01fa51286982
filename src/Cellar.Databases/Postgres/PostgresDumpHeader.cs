using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cellar.Databases.Postgres;

/// <summary>
/// Cellar's small header beside a <c>pg_dump -Fd</c> directory (<see cref="FileName"/>): which
/// server and which database settings it came from, every file of the directory (so a restore can
/// rebuild it from any source), and each table's data file with its rows and bytes.
/// </summary>
public sealed record PostgresDumpHeader
{
    public const string FileName = "cellar-postgres.json";
    public const string CurrentFormat = "cellar-postgres-dump/1";

    public string Format { get; init; } = CurrentFormat;

    public string ServerVersion { get; init; } = "";

    public string PgDumpVersion { get; init; } = "";

    public string Database { get; init; } = "";

    public string Encoding { get; init; } = "UTF8";

    public string Collate { get; init; } = "C";

    public string Ctype { get; init; } = "C";

    public string GuaranteeDescription { get; init; } = "";

    /// <summary>Every file pg_dump wrote (toc.dat and the data files), in name order.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public IReadOnlyList<PostgresDumpTable> Tables { get; init; } = [];

    /// <summary>The schemas the dump fills (always <c>public</c>): a forced restore empties these first.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];

    public int Views { get; init; }

    public int Triggers { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PostgresDumpHeaderJson.Default.PostgresDumpHeader);

    public static PostgresDumpHeader FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var header = JsonSerializer.Deserialize(json, PostgresDumpHeaderJson.Default.PostgresDumpHeader) ?? throw new FormatException("empty header");
            return header.Format == CurrentFormat ? header : throw new FormatException($"format '{header.Format}' is not '{CurrentFormat}'");
        }
        catch (JsonException ex)
        {
            throw new FormatException("the PostgreSQL dump header is not valid JSON: " + ex.Message, ex);
        }
    }
}

/// <summary>One table of a <see cref="PostgresDumpHeader"/>: <c>schema.table</c>, its data file, rows and bytes.</summary>
public sealed record PostgresDumpTable(string Name, string Stream, long Rows, long Bytes);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PostgresDumpHeader))]
internal sealed partial class PostgresDumpHeaderJson : JsonSerializerContext;
