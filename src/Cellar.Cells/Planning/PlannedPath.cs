namespace Cellar.Cells;

/// <summary>A folder or file a backup takes whole, with why (working dir, datasource, …).</summary>
public sealed record PlannedPath(string Path, string Role, bool Exists);
