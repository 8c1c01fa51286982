namespace Cellar.Databases;

/// <summary>
/// A dump whose moment is taken and held, its rows not yet read: MySQL/MariaDB snapshot
/// transactions open on the dump connections, a PostgreSQL exported snapshot in an open
/// transaction, a SQLite backup copy. Writers may change the database meanwhile; the dump still
/// comes from the held moment. Made by <see cref="IDatabaseEngine.HoldAsync"/>; disposing it
/// releases the moment (and removes anything staged) whether or not it was completed.
/// </summary>
public interface IHeldDump : IAsyncDisposable
{
    /// <summary>Reads every table from the held moment into the sink given when it was taken; once.</summary>
    Task<DumpSummary> CompleteAsync(CancellationToken cancellationToken);
}
