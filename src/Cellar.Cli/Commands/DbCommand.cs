using System.CommandLine;
using Cellar.MySql;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar db</c>: exact, consistent SQL dumps, parallel loads and copies of a MySQL/MariaDB database.</summary>
internal sealed class DbCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("db", "Dump, restore and copy a MySQL/MariaDB database (exact and consistent)");
        command.Subcommands.Add(DbDumpCommand.Build(globals));
        command.Subcommands.Add(DbRestoreCommand.Build(globals));
        command.Subcommands.Add(DbCopyCommand.Build(globals));
        return command;
    }

    /// <summary>Parses a DSN option value into a <see cref="MySqlDsn"/>, as a user error when malformed.</summary>
    internal static MySqlDsn ParseDsn(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserException($"{option} is required: a DSN like user:password@tcp(host:3306)/database.", ExitCodes.Usage);
        }

        try
        {
            return MySqlDsn.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UserException($"{option}: {ex.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>Runs a database operation, turning database failures into one clear line.</summary>
    internal static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            throw new UserException(ex.Message);
        }
        catch (RestoreException ex)
        {
            throw new UserException(ex.Message);
        }
        catch (FormatException ex)
        {
            throw new UserException("the dump cannot be read: " + ex.Message);
        }
    }
}
