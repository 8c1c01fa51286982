namespace Cellar.Cells;

/// <summary>A BoltDB file or Bleve index folder a Cells service keeps; <see cref="Kind"/> is <c>bolt</c> or <c>bleve</c>.</summary>
public sealed record CellsStore(string Service, string Kind, string Path);
