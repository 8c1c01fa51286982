using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Model;

/// <summary>The statistics restic (0.17+) stores with a snapshot.</summary>
public sealed class SnapshotSummary
{
    public GoTime BackupStart { get; set; } = GoTime.Zero;
    public GoTime BackupEnd { get; set; } = GoTime.Zero;
    public ulong FilesNew { get; set; }
    public ulong FilesChanged { get; set; }
    public ulong FilesUnmodified { get; set; }
    public ulong DirsNew { get; set; }
    public ulong DirsChanged { get; set; }
    public ulong DirsUnmodified { get; set; }
    public long DataBlobs { get; set; }
    public long TreeBlobs { get; set; }
    public ulong DataAdded { get; set; }
    public ulong DataAddedPacked { get; set; }
    public ulong TotalFilesProcessed { get; set; }
    public ulong TotalBytesProcessed { get; set; }

    public static SnapshotSummary FromJson(JsonElement e) => new()
    {
        BackupStart = e.GetGoTime("backup_start"),
        BackupEnd = e.GetGoTime("backup_end"),
        FilesNew = e.GetGoUInt64("files_new"),
        FilesChanged = e.GetGoUInt64("files_changed"),
        FilesUnmodified = e.GetGoUInt64("files_unmodified"),
        DirsNew = e.GetGoUInt64("dirs_new"),
        DirsChanged = e.GetGoUInt64("dirs_changed"),
        DirsUnmodified = e.GetGoUInt64("dirs_unmodified"),
        DataBlobs = e.GetGoInt64("data_blobs"),
        TreeBlobs = e.GetGoInt64("tree_blobs"),
        DataAdded = e.GetGoUInt64("data_added"),
        DataAddedPacked = e.GetGoUInt64("data_added_packed"),
        TotalFilesProcessed = e.GetGoUInt64("total_files_processed"),
        TotalBytesProcessed = e.GetGoUInt64("total_bytes_processed"),
    };

    public void WriteTo(GoJsonWriter w)
    {
        w.StartObject();
        w.Name("backup_start"); w.Time(BackupStart);
        w.Name("backup_end"); w.Time(BackupEnd);
        w.Name("files_new"); w.Number(FilesNew);
        w.Name("files_changed"); w.Number(FilesChanged);
        w.Name("files_unmodified"); w.Number(FilesUnmodified);
        w.Name("dirs_new"); w.Number(DirsNew);
        w.Name("dirs_changed"); w.Number(DirsChanged);
        w.Name("dirs_unmodified"); w.Number(DirsUnmodified);
        w.Name("data_blobs"); w.Number(DataBlobs);
        w.Name("tree_blobs"); w.Number(TreeBlobs);
        w.Name("data_added"); w.Number(DataAdded);
        w.Name("data_added_packed"); w.Number(DataAddedPacked);
        w.Name("total_files_processed"); w.Number(TotalFilesProcessed);
        w.Name("total_bytes_processed"); w.Number(TotalBytesProcessed);
        w.EndObject();
    }
}
