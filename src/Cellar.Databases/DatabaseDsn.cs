namespace Cellar.Databases;

/// <summary>
/// Where one database lives, parsed by its engine (<see cref="DatabaseEngines.Parse"/> picks the
/// engine). <see cref="ToString"/> never shows a password; <see cref="ToConfigText"/> writes it back
/// as the configuration had it, templates and password included.
/// </summary>
public abstract class DatabaseDsn
{
    /// <summary>The engine that dumps, loads, copies and probes this database.</summary>
    public abstract IDatabaseEngine Engine { get; }

    /// <summary>The database (schema) name, or the file for a file-backed engine.</summary>
    public abstract string Database { get; }

    /// <summary>The DSN as written in configuration, password included: for writing it back into <c>pydio.json</c>.</summary>
    public abstract string ToConfigText();

    /// <summary>True when both name the same database on the same server (a copy onto itself is refused).</summary>
    public abstract bool IsSameDatabase(DatabaseDsn other);

    /// <summary>The DSN without its password, for output and logs.</summary>
    public abstract override string ToString();
}
