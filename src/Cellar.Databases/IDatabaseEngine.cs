namespace Cellar.Databases;

/// <summary>
/// One database engine Cellar can back up. Every engine dumps a database consistently into named
/// per-table streams (an <see cref="IDumpSink"/>), loads them back (an <see cref="IDumpSource"/>),
/// copies database to database, probes the server, and says which moment a dump comes from.
/// Engines are chosen from the DSN by <see cref="DatabaseEngines"/>; callers never ask which one they hold.
/// </summary>
public interface IDatabaseEngine
{
    /// <summary>The short name recorded in manifests (<c>mysql</c>, <c>postgres</c>, <c>sqlite</c>).</summary>
    string Name { get; }

    /// <summary>The product for messages (<c>MySQL/MariaDB</c> …).</summary>
    string DisplayName { get; }

    /// <summary>Which moment a dump comes from, in one sentence (the summary of each dump says what it actually got).</summary>
    string ConsistencyDescription { get; }

    /// <summary>Parses a DSN of this engine; throws <see cref="FormatException"/> with a sentence (without the password).</summary>
    DatabaseDsn Parse(string dsn);

    /// <summary>Dumps the database into per-table streams, all from one moment as far as the engine allows.</summary>
    Task<DumpSummary> DumpAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the dump's moment now and holds it (see <see cref="IHeldDump"/>); the rows are read into
    /// <paramref name="sink"/> by <see cref="IHeldDump.CompleteAsync"/>, later, while the database serves.
    /// Taking the moment is short: open transactions and the schema (MySQL/MariaDB, PostgreSQL), or the
    /// online backup copy (SQLite).
    /// </summary>
    Task<IHeldDump> HoldAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Loads a dump this engine wrote; refuses a target with tables unless <see cref="RestoreOptions.Force"/>.</summary>
    Task<RestoreSummary> RestoreAsync(DatabaseDsn target, IDumpSource source, RestoreOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Copies one database into another of the same engine with the dump's consistency.</summary>
    Task<CopySummary> CopyAsync(DatabaseDsn source, DatabaseDsn target, DumpOptions? dumpOptions = null, RestoreOptions? restoreOptions = null, CancellationToken cancellationToken = default);

    /// <summary>Connects and reports server version, tables and size; throws <see cref="DatabaseException"/> when it cannot.</summary>
    Task<DatabaseServerInfo> ProbeAsync(DatabaseDsn dsn, CancellationToken cancellationToken = default);

    /// <summary>Before a restore: the tables the target already has (0 when the database does not exist yet).</summary>
    Task<int> CountTablesAsync(DatabaseDsn target, CancellationToken cancellationToken = default);
}
