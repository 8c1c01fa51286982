using System.Text.Json;
using System.Text.Json.Serialization;
using Cellar.Cells.Consistency;

namespace Cellar.Cells.Drill;

/// <summary>
/// Everything one drill measured and found; saved as <c>/cellar-drill/report.json</c> in a small
/// snapshot tagged <c>cellar-drill</c> and printed with <c>--json</c>.
/// </summary>
public sealed record DrillReport
{
    public required string SnapshotId { get; init; }
    public string? CellsVersion { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string Scratch { get; init; }
    public string? DatabaseEngine { get; set; }
    public string? ScratchServer { get; set; }

    public double FilesSeconds { get; set; }
    public double DatabaseSeconds { get; set; }
    public double VerifySeconds { get; set; }

    /// <summary>Time to recover: files placed plus database loaded (what a real restore takes).</summary>
    public double RecoverSeconds => FilesSeconds + DatabaseSeconds;

    public double TotalSeconds { get; set; }
    public long FilesRestored { get; set; }
    public long BytesRestored { get; set; }
    public long FilesVerified { get; set; }
    public int StoresVerified { get; set; }
    public long TablesVerified { get; set; }
    public long RowsLoaded { get; set; }
    public bool ConfigVerified { get; set; }
    public IReadOnlyList<DatasourceProof> Consistency { get; set; } = [];
    public List<string> Failures { get; } = [];
    public List<string> Notes { get; } = [];

    public bool Passed => Failures.Count == 0;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, DrillReportJson.Default.DrillReport);

    public static DrillReport FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, DrillReportJson.Default.DrillReport) ?? throw new InvalidDataException("the drill report is empty");
}

/// <summary>Source-generated JSON metadata for <see cref="DrillReport"/> (no reflection: the CLI can be published ahead of time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DrillReport))]
internal sealed partial class DrillReportJson : JsonSerializerContext;
