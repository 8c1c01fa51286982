using Cellar.Cells.Running;

namespace Cellar.Cells;

/// <summary>What a backup of the installation would take, as <c>cellar cells inspect</c> shows it.</summary>
public sealed record InstallationReport(
    InstallationPlan Plan,
    IReadOnlyList<PathUsage> Paths,
    DatabaseInfo Database,
    RunningState Running,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Object count and size per S3 datasource.</summary>
    public IReadOnlyList<S3Usage> ObjectStorage { get; init; } = [];
}
