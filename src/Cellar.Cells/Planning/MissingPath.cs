namespace Cellar.Cells;

/// <summary>
/// A path the configuration names that is not on this host: the backup refuses until it is mapped
/// (<c>--path-map</c>) or, for a datasource, left out on purpose (<c>--exclude-datasource</c>).
/// </summary>
public sealed record MissingPath(string Path, string Role, string Origin, string? ConfigPath = null, string? Datasource = null);
