namespace Cellar.Databases;

/// <summary>One dumped or loaded table.</summary>
public sealed record TableSummary(string Name, string StreamName, string Engine, long Rows, long Bytes);
