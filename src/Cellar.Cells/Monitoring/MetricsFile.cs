using System.Text;

namespace Cellar.Cells.Monitoring;

/// <summary>The metrics file on disk: read back, and replaced atomically (temp file in the same folder, fsync, rename).</summary>
public static class MetricsFile
{
    public static BackupMetrics? Read(string path) => File.Exists(path) ? BackupMetrics.Parse(File.ReadAllText(path)) : null;

    public static void Write(string path, BackupMetrics metrics)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        // A name node_exporter's collector skips (it reads *.prom only) while the file is half written.
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(metrics.ToPrometheusText()));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
