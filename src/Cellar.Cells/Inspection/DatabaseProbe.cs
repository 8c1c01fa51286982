using Cellar.Databases;

namespace Cellar.Cells;

/// <summary>Connects to the installation's SQL database (through its engine) to report server version, tables and size.</summary>
public static class DatabaseProbe
{
    public static async Task<DatabaseInfo> ProbeAsync(string dsnText, CancellationToken cancellationToken, string? driverHint = null)
    {
        DatabaseDsn dsn;
        try
        {
            dsn = DatabaseEngines.Parse(dsnText, driverHint);
        }
        catch (FormatException ex)
        {
            string shown;
            try
            {
                shown = CellsDsn.Parse(dsnText).Redacted;
            }
            catch (FormatException)
            {
                shown = "(unreadable DSN)";
            }

            return new DatabaseInfo(shown, false, null, null, null, ex.Message);
        }

        var server = dsn.ToString();
        try
        {
            var info = await dsn.Engine.ProbeAsync(dsn, cancellationToken).ConfigureAwait(false);
            return new DatabaseInfo(server, true, info.Version, info.Tables, info.Bytes, null);
        }
        catch (DatabaseException ex)
        {
            return new DatabaseInfo(server, false, null, null, null, ex.Message);
        }
    }
}
