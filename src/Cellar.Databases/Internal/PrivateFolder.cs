namespace Cellar.Databases.Internal;

/// <summary>A temp folder only the current user can enter, for an engine's staged dump files.</summary>
internal static class PrivateFolder
{
    /// <summary>Creates <c>TMP/PREFIX-RANDOM</c> with mode 0700 and returns its path.</summary>
    public static string Create(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    /// <summary>Removes the folder and what it holds; a folder that cannot be removed is left behind, never an error.</summary>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
