using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cellar.Databases.MySql;

/// <summary>The small header of a per-table dump (<see cref="DumpFileNames.Header"/>): where it came from, which moment, which tables in which order.</summary>
public sealed record DumpHeader
{
    public const string CurrentFormat = "cellar-sql-dump/1";

    public string Format { get; init; } = CurrentFormat;

    public string ServerVersion { get; init; } = "";

    public string Database { get; init; } = "";

    public string CharacterSet { get; init; } = "utf8mb4";

    public string Collation { get; init; } = "utf8mb4_bin";

    public string SqlMode { get; init; } = "";

    public string TimeZone { get; init; } = "+00:00";

    public ConsistencyGuarantee Guarantee { get; init; }

    public string GuaranteeDescription { get; init; } = "";

    /// <summary>Tables in load order, with their stream names and row counts.</summary>
    public IReadOnlyList<DumpHeaderTable> Tables { get; init; } = [];

    /// <summary>The stream holding views and triggers, loaded after all tables.</summary>
    public string Objects { get; init; } = DumpFileNames.Objects;

    public int Views { get; init; }

    public int Triggers { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, DumpHeaderJson.Default.DumpHeader);

    public static DumpHeader FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var header = JsonSerializer.Deserialize(json, DumpHeaderJson.Default.DumpHeader) ?? throw new FormatException("empty header");
            if (header.Format != CurrentFormat)
            {
                throw new FormatException($"format '{header.Format}' is not '{CurrentFormat}'");
            }

            return header;
        }
        catch (JsonException ex)
        {
            throw new FormatException("the dump header is not valid JSON: " + ex.Message, ex);
        }
    }
}

/// <summary>
/// One table line of a <see cref="DumpHeader"/>. <see cref="Parts"/> names the streams of the key
/// ranges after the first (a table split by key ranges), loaded after <see cref="Stream"/>; absent
/// in dumps whose tables are one stream each (all dumps before range splitting).
/// </summary>
public sealed record DumpHeaderTable(string Name, string Stream, string Engine, long Rows)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Parts { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DumpHeader))]
internal sealed partial class DumpHeaderJson : JsonSerializerContext;
