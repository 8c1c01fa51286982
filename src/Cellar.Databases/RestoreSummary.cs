namespace Cellar.Databases;

/// <summary>The result of a load: tables complete, and views/triggers created.</summary>
public sealed record RestoreSummary(string Database, IReadOnlyList<TableSummary> Tables, int Objects, TimeSpan Duration)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}
