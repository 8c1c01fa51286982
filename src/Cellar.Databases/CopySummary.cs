namespace Cellar.Databases;

/// <summary>The result of a database copy: what was read (with its consistency guarantee) and what was loaded.</summary>
public sealed record CopySummary(DumpSummary Dump, RestoreSummary Restore);
