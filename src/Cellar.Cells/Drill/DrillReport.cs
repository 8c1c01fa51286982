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
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

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

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    public static DrillReport FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<DrillReport>(json, Options) ?? throw new InvalidDataException("the drill report is empty");
}
