namespace Cellar.Databases;

/// <summary>
/// A database failure described for the user in one sentence (server unreachable, wrong
/// credentials, missing privilege, unknown database, a value the target cannot take ...). The
/// message never holds a password.
/// </summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The server's error number when the server reported one.</summary>
    public int? ServerErrorNumber { get; init; }
}
