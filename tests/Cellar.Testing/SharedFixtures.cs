using Xunit;

namespace Cellar.Testing;

/// <summary>
/// Outside reference data at <c>../shared/fixtures</c> beside the project root. Tests that need it
/// skip with a clear message when it is absent (a fresh clone elsewhere has none).
/// </summary>
public static class SharedFixtures
{
    /// <summary>The project root: the nearest folder above the test binary holding Cellar.slnx.</summary>
    public static string ProjectRoot { get; } = FindProjectRoot();

    /// <summary>The fixtures folder, or null when absent.</summary>
    public static string? Root
    {
        get
        {
            // CELLAR_SHARED_FIXTURES names them when the checkout is elsewhere (a git worktree).
            var path = Environment.GetEnvironmentVariable("CELLAR_SHARED_FIXTURES") is { Length: > 0 } given
                ? Path.GetFullPath(given)
                : Path.GetFullPath(Path.Combine(ProjectRoot, "..", "shared", "fixtures"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>The path of a fixture, skipping the calling test when the fixtures are absent.</summary>
    public static string Require(params string[] parts)
    {
        var root = Root;
        if (root is null)
        {
            Assert.Skip("../shared/fixtures is absent beside the project root; this test needs the outside reference data.");
            return "";
        }

        var path = Path.Combine([root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"fixture {Path.Combine(parts)} is absent from ../shared/fixtures.");
        }

        return path;
    }

    private static string FindProjectRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cellar.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
