namespace Cellar.Cells.Consistency;

/// <summary>What the consistency proof established for every datasource it was given.</summary>
public sealed record ConsistencyReport(IReadOnlyList<DatasourceProof> Datasources)
{
    public IEnumerable<ConsistencyFinding> Findings => Datasources.SelectMany(d => d.Findings);

    public IEnumerable<ConsistencyFinding> Failures => Findings.Where(f => f.IsFailure);

    public bool IsConsistent => !Failures.Any();
}

/// <summary>One datasource's proof: how many index rows and objects were compared, and what was found.</summary>
public sealed record DatasourceProof(string Name, string Folder, bool FlatStorage, int IndexedFiles, int IndexedFolders, int Objects, IReadOnlyList<ConsistencyFinding> Findings);
