namespace Cellar.Cells.Consistency;

/// <summary>
/// One thing the consistency proof found in a datasource. <see cref="Kind"/>: <c>missing-object</c>
/// (an index row whose object is not in the folder), <c>size-mismatch</c>, <c>pydio-mismatch</c> (a
/// structured folder whose <c>.pydio</c> id is not its index uuid, or is missing), <c>no-index</c>
/// (the database holds no index table for the datasource), <c>missing-folder</c>, or <c>orphan</c>
/// (an object no index row points at: listed, not a failure).
/// </summary>
public sealed record ConsistencyFinding(string Datasource, string Kind, string Path, string Detail)
{
    public bool IsFailure => Kind != "orphan";

    public override string ToString() => $"datasource {Datasource}: {Kind} {Path}: {Detail}";
}
