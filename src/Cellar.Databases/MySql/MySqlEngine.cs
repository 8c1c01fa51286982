using Cellar.Databases.MySql.Internal;

namespace Cellar.Databases.MySql;

/// <summary>MySQL and MariaDB: Cellar's own consistent logical dump (<see cref="MySqlDumper"/>), parallel load (<see cref="MySqlLoader"/>) and copy (<see cref="MySqlCopier"/>).</summary>
internal sealed class MySqlEngine : IDatabaseEngine
{
    public string Name => "mysql";

    public string DisplayName => "MySQL/MariaDB";

    public string ConsistencyDescription =>
        "every table from one moment (a global read lock while the snapshot transactions open), or the InnoDB tables from one moment when the user may not take that lock";

    public DatabaseDsn Parse(string dsn) => MySqlDsn.Parse(dsn);

    public Task<DumpSummary> DumpAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default) =>
        MySqlDumper.DumpAsync(Own(source), sink, options, cancellationToken);

    public Task<IHeldDump> HoldAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default) =>
        MySqlDumper.HoldAsync(Own(source), sink, options ?? new DumpOptions(), null, cancellationToken);

    public Task<RestoreSummary> RestoreAsync(DatabaseDsn target, IDumpSource source, RestoreOptions? options = null, CancellationToken cancellationToken = default) =>
        MySqlLoader.RestoreAsync(Own(target), source, options, cancellationToken);

    public Task<CopySummary> CopyAsync(DatabaseDsn source, DatabaseDsn target, DumpOptions? dumpOptions = null, RestoreOptions? restoreOptions = null, CancellationToken cancellationToken = default) =>
        MySqlCopier.CopyAsync(Own(source), Own(target), dumpOptions, restoreOptions, cancellationToken);

    public async Task<DatabaseServerInfo> ProbeAsync(DatabaseDsn dsn, CancellationToken cancellationToken = default)
    {
        var my = Own(dsn);
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(my.ToConnectionString()) { ConnectionTimeout = 5 };
        await using var connection = new MySqlConnector.MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlConnector.MySqlException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw MySqlErrors.Describe(ex, my);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT VERSION(), (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @db AND table_type = 'BASE TABLE'), " +
                              "(SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = @db)";
        command.Parameters.AddWithValue("@db", my.Database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DatabaseServerInfo(Name, reader.GetString(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<int> CountTablesAsync(DatabaseDsn target, CancellationToken cancellationToken = default)
    {
        var my = Own(target);
        await using var connection = await Connections.OpenAsync(my, cancellationToken, withDatabase: false).ConfigureAwait(false);
        return await Connections.ScalarAsync<int>(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @db", cancellationToken, ("@db", my.Database))
            .ConfigureAwait(false);
    }

    private static MySqlDsn Own(DatabaseDsn dsn) =>
        dsn as MySqlDsn ?? throw new DatabaseException($"{dsn} is a {dsn.Engine.DisplayName} database, not MySQL/MariaDB; dump and load it with its own engine.");
}
