using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cellar.Cells.Demo;

/// <summary>The demo's database as an SQLite file in the working dir (Cells v5 on SQLite needs no server).</summary>
internal sealed class DemoSqliteDatabase(string file) : DemoDatabase
{
    public override string Description => "SQLite database " + file;

    public override string Dsn => "sqlite://" + file;

    public override string? LocalFile => file;

    public override async Task CreateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await ExecuteAsync(async command =>
        {
            command.CommandText =
                "CREATE TABLE idm_user_idx_tree (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, mpath BLOB);" +
                "INSERT INTO idm_user_idx_tree VALUES ('u-admin', 'admin', x'0001'), ('u-emile', 'émile', x'0002');" +
                "CREATE TABLE data_index_pydiods1_idx_tree (uuid TEXT PRIMARY KEY, name TEXT, size INTEGER);" +
                "INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1', 'Welcome.md', 64), ('n2', 'holiday.jpg', 400000);";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return "";
        }).ConfigureAwait(false);
    }

    protected override Task<IReadOnlyList<string>> TableRowsAsync(string table, CancellationToken cancellationToken) => ExecuteAsync<IReadOnlyList<string>>(async command =>
    {
        var rows = new List<string>();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var columns = new string?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                columns[i] = value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            rows.Add(string.Join('|', columns));
        }

        return rows;
    });

    public override Task DropAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<T> ExecuteAsync<T>(Func<SqliteCommand, Task<T>> work)
    {
        // No pooling: the file must be closed when the demo deletes and restores it.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        return await work(command).ConfigureAwait(false);
    }
}
