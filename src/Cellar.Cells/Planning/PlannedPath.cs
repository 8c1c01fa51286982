namespace Cellar.Cells;

/// <summary>
/// A folder or file a backup takes whole, with why (working dir, datasource, …). <see cref="Origin"/>
/// says what named it (a default, an environment variable, the flags file, a pydio.json key);
/// <see cref="ConfigPath"/> is the path as the configuration writes it when a path map translated it.
/// </summary>
public sealed record PlannedPath(string Path, string Role, bool Exists)
{
    public string Origin { get; init; } = "";

    public string? ConfigPath { get; init; }
}
