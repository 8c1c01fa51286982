using System.Runtime.CompilerServices;

namespace Cellar.Bench;

/// <summary>
/// BenchmarkDotNet builds its out-of-process runner against the first <c>Cellar.Bench.csproj</c> it
/// finds under the nearest directory (walking up from the current one) holding a solution file; run
/// from elsewhere it can pick up an unrelated copy and fail to compile. This finds the checkout the
/// benchmarks were built from so the runner can start there.
/// </summary>
internal static class SolutionDirectory
{
    private const string SolutionFile = "Cellar.slnx";

    /// <summary>Makes the current directory the solution's when it is not already inside it.</summary>
    public static void EnterIfOutside()
    {
        if (FindUpwards(Environment.CurrentDirectory) is not null)
        {
            return;
        }

        var found = FindUpwards(AppContext.BaseDirectory) ?? FindUpwards(SourceDirectory());
        if (found is not null)
        {
            Environment.CurrentDirectory = found;
        }
    }

    private static string? FindUpwards(string? start)
    {
        for (var directory = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path);
}
