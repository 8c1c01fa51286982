using System.Net.Sockets;
using MySqlConnector;

namespace Cellar.Databases.MySql.Internal;

/// <summary>Turns MySqlConnector failures into <see cref="DatabaseException"/> sentences that say what to do next.</summary>
internal static class MySqlErrors
{
    public static DatabaseException Describe(Exception exception, MySqlDsn dsn, string? doing = null)
    {
        if (exception is DatabaseException existing)
        {
            return doing is null || existing.Message.StartsWith(doing, StringComparison.Ordinal)
                ? existing
                : new DatabaseException(doing + ": " + existing.Message, existing) { ServerErrorNumber = existing.ServerErrorNumber };
        }

        var where = dsn.Socket is not null ? $"socket {dsn.Socket}" : $"{dsn.Host}:{(dsn.Port == 0 ? 3306 : dsn.Port)}";
        var prefix = doing is null ? "" : doing + ": ";
        if (exception is MySqlException my)
        {
            var message = Redact(my.Message, dsn);
            var text = my.ErrorCode switch
            {
                MySqlErrorCode.UnableToConnectToHost =>
                    $"cannot reach the database server at {where} ({message}); check that it is running and the DSN host, port or socket is right.",
                MySqlErrorCode.AccessDenied =>
                    $"the database server at {where} refused user '{dsn.User}' (wrong user name or password); check the credentials in the DSN.",
                MySqlErrorCode.DatabaseAccessDenied =>
                    $"user '{dsn.User}' has no access to database '{dsn.Database}' ({message}); grant it or use another user.",
                MySqlErrorCode.UnknownDatabase =>
                    $"database '{dsn.Database}' does not exist on {where}; create it first (CREATE DATABASE) or fix the DSN.",
                _ when my.Number is 1142 or 1143 or 1227 or 1370 or 1095 =>
                    $"user '{dsn.User}' lacks a privilege: {message}; grant it and try again.",
                MySqlErrorCode.DataTooLong or MySqlErrorCode.WarningDataOutOfRange or MySqlErrorCode.TruncatedWrongValue
                    or MySqlErrorCode.TruncatedWrongValueForField or MySqlErrorCode.WrongValueCountOnRow
                    or MySqlErrorCode.InvalidCharacterString or MySqlErrorCode.UnknownCharacterSet or MySqlErrorCode.UnknownCollation
                    or MySqlErrorCode.UnknownStorageEngine or MySqlErrorCode.WarningDataTruncated =>
                    $"the target database cannot take a value or definition: {message}; the target server's version or settings differ from the source.",
                _ when my.Number is 1048 =>
                    $"the target database cannot take a value: {message}; the target table's definition differs from the source.",
                _ when my.Number is 1153 =>
                    $"a statement is larger than the server's max_allowed_packet ({message}); raise max_allowed_packet on the server.",
                MySqlErrorCode.TableExists =>
                    $"{message}; the target database already holds this table (use --force to replace it).",
                _ when my.Number is 2002 or 2003 or 2005 or 2006 or 2013 or 1042 =>
                    $"lost or could not open the connection to the database server at {where} ({message}); check that it is running and reachable.",
                _ => $"the database server reported an error {my.Number}: {message}",
            };
            return new DatabaseException(prefix + text, my) { ServerErrorNumber = my.Number };
        }

        if (exception is SocketException or TimeoutException or IOException)
        {
            return new DatabaseException(
                $"{prefix}cannot reach the database server at {where} ({Redact(exception.Message, dsn)}); check that it is running and the DSN is right.", exception);
        }

        return new DatabaseException(prefix + Redact(exception.Message, dsn), exception);
    }

    /// <summary>Removes the password from any text that may echo it.</summary>
    public static string Redact(string text, MySqlDsn dsn) =>
        dsn.Password.Length >= 3 ? text.Replace(dsn.Password, "***", StringComparison.Ordinal) : text;
}
