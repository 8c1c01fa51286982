using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Model;

/// <summary>A snapshot: when, what paths, from which host, and the root tree, as restic stores it.</summary>
public sealed class Snapshot
{
    public GoTime Time { get; set; } = GoTime.Zero;
    public Id? Parent { get; set; }
    public Id? Tree { get; set; }
    public List<string>? Paths { get; set; }
    public string? Hostname { get; set; }
    public string? Username { get; set; }
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public List<string>? Excludes { get; set; }
    public List<string>? Tags { get; set; }
    public Id? Original { get; set; }
    public string? ProgramVersion { get; set; }
    public SnapshotSummary? Summary { get; set; }

    /// <summary>The snapshot's id (the name of its file); not part of the JSON.</summary>
    public Id Id { get; set; }

    public static Snapshot Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var e = document.RootElement;
            return new Snapshot
            {
                Time = e.GetGoTime("time"),
                Parent = e.GetGoId("parent"),
                Tree = e.GetGoId("tree"),
                Paths = e.GetGoStrings("paths"),
                Hostname = e.GetGoString("hostname"),
                Username = e.GetGoString("username"),
                Uid = e.GetGoUInt32("uid"),
                Gid = e.GetGoUInt32("gid"),
                Excludes = e.GetGoStrings("excludes"),
                Tags = e.GetGoStrings("tags"),
                Original = e.GetGoId("original"),
                ProgramVersion = e.GetGoString("program_version"),
                Summary = e.TryGetGoProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object
                    ? SnapshotSummary.FromJson(summary)
                    : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"a snapshot is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The JSON restic writes for this snapshot (Go field order and omitempty rules).</summary>
    public byte[] ToJson()
    {
        var w = new GoJsonWriter();
        WriteTo(w, includeId: false);
        return w.ToArray();
    }

    /// <summary>Writes the snapshot; with <paramref name="includeId"/> also <c>id</c> and <c>short_id</c> as <c>restic snapshots --json</c> prints.</summary>
    public void WriteTo(GoJsonWriter w, bool includeId)
    {
        w.StartObject();
        w.Name("time"); w.Time(Time);
        if (Parent is { } parent) { w.Name("parent"); w.Id(parent); }
        w.Name("tree");
        if (Tree is { } tree) w.Id(tree); else w.Null();
        w.Name("paths");
        w.Strings(Paths);
        if (!string.IsNullOrEmpty(Hostname)) { w.Name("hostname"); w.String(Hostname); }
        if (!string.IsNullOrEmpty(Username)) { w.Name("username"); w.String(Username); }
        if (Uid != 0) { w.Name("uid"); w.Number(Uid); }
        if (Gid != 0) { w.Name("gid"); w.Number(Gid); }
        if (Excludes is { Count: > 0 }) { w.Name("excludes"); w.Strings(Excludes); }
        if (Tags is { Count: > 0 }) { w.Name("tags"); w.Strings(Tags); }
        if (Original is { } original) { w.Name("original"); w.Id(original); }
        if (!string.IsNullOrEmpty(ProgramVersion)) { w.Name("program_version"); w.String(ProgramVersion); }
        if (Summary is not null) { w.Name("summary"); Summary.WriteTo(w); }
        if (includeId)
        {
            w.Name("id"); w.Id(Id);
            w.Name("short_id"); w.String(Id.ToShortString());
        }

        w.EndObject();
    }
}
