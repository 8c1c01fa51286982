namespace Cellar.Cells.Running;

/// <summary>Finds processes named <c>cells</c> through /proc (Linux); elsewhere finds none.</summary>
public static class CellsProcessFinder
{
    public static IReadOnlyList<int> Find(string procRoot = "/proc")
    {
        var found = new List<int>();
        if (!Directory.Exists(procRoot))
        {
            return found;
        }

        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (comm is "cells" or "cells-enterprise")
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
