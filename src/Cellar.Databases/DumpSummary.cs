namespace Cellar.Databases;

/// <summary>The result of a dump: what the header says, and how long it took.</summary>
public sealed record DumpSummary(
    string Database,
    string ServerVersion,
    ConsistencyGuarantee Guarantee,
    string GuaranteeDescription,
    IReadOnlyList<TableSummary> Tables,
    int Views,
    int Triggers,
    TimeSpan Duration)
{
    public long TotalRows => Tables.Sum(t => t.Rows);

    public long TotalBytes => Tables.Sum(t => t.Bytes);
}
