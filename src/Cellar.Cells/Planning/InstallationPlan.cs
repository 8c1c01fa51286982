using Cellar.Cells.Discovery;
using Cellar.Databases;

namespace Cellar.Cells;

/// <summary>
/// What a backup of a Cells installation takes: the paths (working dir, split dirs and stores
/// outside it, external LOCAL datasource folders and their <c>.minio.sys</c>; none below another),
/// the SQL database (parsed by Cellar.Databases; <c>ToString()</c> hides the password), the datasource map, the BoltDB/Bleve stores to verify, and warnings.
/// </summary>
public sealed record InstallationPlan(
    CellsLocations Locations,
    PydioConfig Config,
    IReadOnlyList<PlannedPath> Paths,
    DatabaseDsn Database,
    IReadOnlyList<CellsDatasource> Datasources,
    IReadOnlyList<string> BoltFiles,
    IReadOnlyList<string> BleveFolders,
    IReadOnlyList<string> Warnings)
{
    public string? CellsVersion => Config.Version;
}
