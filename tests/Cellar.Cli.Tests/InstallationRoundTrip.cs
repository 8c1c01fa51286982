using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>The database of an installation under test, whatever its engine: how to describe it without trusting Cellar, destroy it, and change it.</summary>
internal sealed record InstalledDatabase(Func<Task<string>> DescribeAsync, Func<Task> DestroyAsync, Func<string, Task> ExecuteAsync, Func<string, bool>? IgnoredFiles = null);

/// <summary>
/// <c>cellar init</c> → <c>cellar backup</c> (no paths) → destroy the files and the database →
/// <c>cellar restore latest</c> (no hints): every file equal in content, mode, owner and mtime,
/// the database equal as its own describer sees it; then a second restore refuses and changes nothing.
/// </summary>
internal static class InstallationRoundTrip
{
    public static async Task<string> RunAsync(TempDirectory root, CellsInstallation install, Dictionary<string, string> env, InstalledDatabase database)
    {
        // Described first: reading an SQLite database in WAL mode touches its folder.
        var tables = await database.DescribeAsync();
        var expected = root.Combine("expected");
        Directory.CreateDirectory(expected);
        await CopyPreservingAsync(install.WorkingDir, Path.Combine(expected, "cells"));
        await CopyPreservingAsync(install.ExternalFolder, Path.Combine(expected, "ext"));

        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        (code, output, error) = await CliHarness.RunAsync(env, "backup");
        code.ShouldBe(0, output + error);
        var (_, snapshots, _) = await CliHarness.RunAsync(env, "snapshots");
        snapshots.ShouldContain("cells");

        Directory.Delete(install.WorkingDir, recursive: true);
        Directory.Delete(install.ExternalFolder, recursive: true);
        await database.DestroyAsync();

        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest");
        code.ShouldBe(0, output + error);
        output.ShouldContain("cells start");
        var options = new TreeComparisonOptions { RootMetadata = true, Ignore = database.IgnoredFiles };
        TreeComparer.AssertEqual(Path.Combine(expected, "cells"), install.WorkingDir, options);
        TreeComparer.AssertEqual(Path.Combine(expected, "ext"), install.ExternalFolder, options);
        (await database.DescribeAsync()).ShouldBe(tables);

        // A second restore over the restored installation refuses and changes nothing.
        var marker = Path.Combine(install.WorkingDir, "data", "pydiods1", "welcome.txt");
        await File.WriteAllTextAsync(marker, "changed after restore");
        await database.ExecuteAsync("DELETE FROM idm_user_attributes WHERE name = 'second'");
        var tablesAfterEdit = await database.DescribeAsync();
        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest");
        code.ShouldBe(1, output + error);
        error.ShouldContain("refusing");
        error.ShouldContain("--force");
        (await File.ReadAllTextAsync(marker)).ShouldBe("changed after restore");
        (await database.DescribeAsync()).ShouldBe(tablesAfterEdit);
        return tables;
    }

    private static async Task CopyPreservingAsync(string from, string to)
    {
        var (code, _, error) = await ExternalTool.RunAsync(ExternalTool.Require("cp"), ["-a", from, to]);
        code.ShouldBe(0, error);
    }
}
