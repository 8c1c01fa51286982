using System.CommandLine;
using Cellar.Databases;
using Cellar.Databases.MySql;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar db</c>: exact, consistent dumps, parallel loads and copies of a MySQL/MariaDB, PostgreSQL or SQLite database (the DSN scheme picks the engine).</summary>
internal sealed class DbCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("db", "Dump, restore and copy a MySQL/MariaDB, PostgreSQL or SQLite database (exact and consistent)");
        command.Subcommands.Add(DbDumpCommand.Build(globals));
        command.Subcommands.Add(DbRestoreCommand.Build(globals));
        command.Subcommands.Add(DbCopyCommand.Build(globals));
        return command;
    }

    /// <summary>Parses a DSN option value with the engine its scheme names, as a user error when malformed.</summary>
    internal static DatabaseDsn ParseDsn(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserException($"{option} is required: a DSN like user:password@tcp(host:3306)/database, postgres://user:password@host/database or sqlite:///path/file.db.", ExitCodes.Usage);
        }

        try
        {
            return DatabaseEngines.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UserException($"{option}: {ex.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>A single SQL script (file or pipe) is the MySQL engine's own form; other engines dump into a folder.</summary>
    internal static MySqlDsn SingleScript(DatabaseDsn dsn, string what) =>
        dsn as MySqlDsn ?? throw new UserException($"{what} as one SQL script is for MySQL/MariaDB; for {dsn.Engine.DisplayName} use a folder (--dir).", ExitCodes.Usage);

    /// <summary>
    /// Runs a database operation: a dump that does not parse is said as such (database failures
    /// are in <see cref="ErrorReporter"/>'s map, like every layer's).
    /// </summary>
    internal static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            throw new UserException("the dump cannot be read: " + ex.Message);
        }
    }
}
