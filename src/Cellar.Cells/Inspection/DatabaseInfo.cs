namespace Cellar.Cells;

/// <summary>
/// The SQL database as inspection saw it. <see cref="Server"/> is the DSN without password.
/// When the server was not reached, <see cref="Contacted"/> is false and <see cref="Error"/> says why.
/// </summary>
public sealed record DatabaseInfo(string Server, bool Contacted, string? Version, int? Tables, long? Bytes, string? Error)
{
    /// <summary>The engine's display name (MySQL/MariaDB, PostgreSQL, SQLite), empty when the DSN could not be read.</summary>
    public string Engine { get; init; } = "";
}
