namespace Cellar.Cells.History;

/// <summary>
/// One recovery drill, read from its result snapshot's tags (<c>cellar-drill</c>, <c>drilled=ID</c>,
/// <c>passed</c> or <c>failed</c>, <c>recover=SECONDSs</c>), as <c>cellar drill</c> saves it;
/// the tags are <see cref="Drill.DrillTags"/>'s.
/// </summary>
public sealed record DrillRecord(string Id, DateTimeOffset Time, string? Drilled, bool Passed, double? RecoverSeconds);
