namespace Cellar.Cells.Installation;

/// <summary>The names, sizes and times of every file in a Bleve folder: equal before and after a copy means the copy is whole.</summary>
public static class BleveFingerprint
{
    public static string Take(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return "";
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var entries = new List<string>();
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
        {
            entries.Add($"{Path.GetRelativePath(folder, file.FullName)}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}");
        }

        entries.Sort(StringComparer.Ordinal);
        return string.Join('\n', entries);
    }
}
