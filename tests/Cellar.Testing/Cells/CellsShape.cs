namespace Cellar.Testing.Cells;

/// <summary>Which pydio.json shape a generated installation uses.</summary>
public enum CellsShape
{
    /// <summary>v4: <c>databases</c> keyed by DSN hash, go-sql-driver DSN, <c>boltdb</c> drivers.</summary>
    V4,

    /// <summary>v5: <c>mysql://</c> DSN with template parameters, <c>boltdb://</c> and <c>bleve://</c> URIs.</summary>
    V5,
}
