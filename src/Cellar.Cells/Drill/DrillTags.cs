namespace Cellar.Cells.Drill;

/// <summary>How a drill's result snapshot is marked: <c>cellar-drill</c>, <c>drilled=ID</c>, <c>passed</c>/<c>failed</c>, <c>recover=SECONDSs</c> (time to recover).</summary>
public static class DrillTags
{
    public const string Tag = "cellar-drill";
    public const string DrilledPrefix = "drilled=";
    public const string RecoverPrefix = "recover=";
    public const string ReportPath = "/cellar-drill/report.json";
}
