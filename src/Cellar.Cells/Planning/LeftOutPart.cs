namespace Cellar.Cells;

/// <summary>
/// A part of the installation that the snapshot will not hold, said out loud: a datasource left out
/// with <c>--exclude-datasource</c> (<see cref="Kind"/> <c>excluded</c>) or one whose objects stay
/// with a storage provider (<c>not-included</c>: S3, AZURE, GCS, …, with <see cref="Datasource"/>
/// giving bucket and endpoint). Any entry makes the backup exit 3 (incomplete). A later step that
/// backs such objects up removes the entry from <see cref="InstallationPlan.LeftOut"/>.
/// </summary>
public sealed record LeftOutPart(string Kind, string Name, string Reason)
{
    public CellsDatasource? Datasource { get; init; }

    public const string Excluded = "excluded";
    public const string NotIncluded = "not-included";
}
