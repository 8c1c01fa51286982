namespace Cellar.Cells;

/// <summary>An objects service (the S3 gateway over local folders) and the folder it serves.</summary>
public sealed record CellsObjectsService(string Name, string? LocalFolder);
