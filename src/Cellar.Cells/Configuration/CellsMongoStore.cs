namespace Cellar.Cells;

/// <summary>
/// A MongoDB database Cells keeps document stores in (never the SQL database): the
/// <c>databases</c> key that names it, its DSN with the password hidden, and the services that use it.
/// Cellar cannot copy it itself; a <c>--dump-command</c> can.
/// </summary>
public sealed record CellsMongoStore(string Key, string Dsn, IReadOnlyList<string> Services);
