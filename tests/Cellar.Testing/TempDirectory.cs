namespace Cellar.Testing;

/// <summary>A fresh directory under the system temp folder, removed (even read-only parts) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "cellar-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        try
        {
            MakeWritable(new DirectoryInfo(Path));
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Names that are not UTF-8 defeat .NET's recursive delete; rm works on raw bytes.
            RemoveWithRm();
        }
    }

    private void RemoveWithRm()
    {
        try
        {
            using var rm = System.Diagnostics.Process.Start("rm", ["-rf", "--", Path]);
            rm?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static void MakeWritable(DirectoryInfo directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo sub && !entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                MakeWritable(sub);
            }
        }
    }
}
