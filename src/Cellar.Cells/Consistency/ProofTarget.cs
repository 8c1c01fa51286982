namespace Cellar.Cells.Consistency;

/// <summary>A LOCAL datasource to prove: its name, the folder holding its objects now, and its format.</summary>
public sealed record ProofTarget(string Name, string Folder, bool FlatStorage);
