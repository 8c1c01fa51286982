namespace Cellar.Testing.Cells;

/// <summary>Which pydio.json shape a generated installation uses.</summary>
public enum CellsShape
{
    /// <summary>v4: <c>databases</c> keyed by DSN hash, go-sql-driver DSN, <c>boltdb</c> drivers.</summary>
    V4,

    /// <summary>
    /// v4 upgraded to v5 (Cells <c>common/config/migrations/4.9.90.go</c>): driver <c>mysql</c> kept, DSN
    /// becomes <c>mysql://…</c> with template parameters; <c>boltdb://</c> and <c>bleve://</c> URIs.
    /// </summary>
    V5,

    /// <summary>
    /// A fresh v5 install (<c>discovery/install/lib/database.go</c>: <c>SetDatabase(id, "sql", dsn)</c>):
    /// driver <c>sql</c>, the engine in the DSN's scheme, <c>defaults.database</c> a <c>$ref</c> to it.
    /// </summary>
    V5Fresh,

    /// <summary>As <see cref="V5Fresh"/>, with the entry copied inline into <c>defaults.database</c> (what <c>SetDatabase</c> does when the default is unset).</summary>
    V5FreshInline,
}
