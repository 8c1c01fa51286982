using System.Globalization;

namespace Cellar.Databases.Postgres.Internal;

/// <summary>What Cellar asks the server before dumping or loading: its version and the database's encoding and locale.</summary>
internal sealed record PgServer(string Version, int Major, string Encoding, string Collate, string Ctype)
{
    public static async Task<PgServer> ReadAsync(PostgresDsn dsn, string doing, CancellationToken ct, string? database = null)
    {
        var rows = await PgTools.QueryAsync(dsn,
            "SELECT current_setting('server_version'), current_setting('server_version_num'), pg_encoding_to_char(encoding), datcollate, datctype " +
            "FROM pg_database WHERE datname = current_database()", doing, ct, database).ConfigureAwait(false);
        var row = rows.Count == 1 && rows[0].Length == 5 ? rows[0] : throw new DatabaseException($"{doing}: the server at {dsn.Where} gave an unexpected answer to a version query.");
        return new PgServer(row[0], int.Parse(row[1], CultureInfo.InvariantCulture) / 10000, row[2], row[3], row[4]);
    }

    /// <summary>The server's version when the database itself may be missing (asks the maintenance database).</summary>
    public static async Task<PgServer> ReadAnyAsync(PostgresDsn dsn, string doing, CancellationToken ct)
    {
        try
        {
            return await ReadAsync(dsn, doing, ct).ConfigureAwait(false);
        }
        catch (DatabaseException ex) when (PgTools.IsMissingDatabase(ex))
        {
            return await ReadAsync(dsn, doing, ct, MaintenanceDatabase).ConfigureAwait(false);
        }
    }

    public const string MaintenanceDatabase = "postgres";
}
