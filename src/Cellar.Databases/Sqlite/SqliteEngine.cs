using System.Diagnostics;
using Cellar.Databases.Internal;
using Microsoft.Data.Sqlite;

namespace Cellar.Databases.Sqlite;

/// <summary>
/// SQLite: the database file copied with SQLite's online backup API (never a plain copy of a file
/// being written), the copy checked with <c>PRAGMA integrity_check</c>, and restored to its path
/// (through a checked temporary file renamed into place, with the original owner, mode and mtime).
/// </summary>
internal sealed class SqliteEngine : IDatabaseEngine
{
    private const string Guarantee =
        "the whole database from one moment: SQLite's online backup API copies every page inside one read transaction";

    public string Name => "sqlite";

    public string DisplayName => "SQLite";

    public string ConsistencyDescription => Guarantee;

    public DatabaseDsn Parse(string dsn) => SqliteDsn.Parse(dsn);

    public async Task<DumpSummary> DumpAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var held = await HoldAsync(source, sink, options, cancellationToken).ConfigureAwait(false);
        return await held.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The moment is the online backup copy into a private folder (and the file's owner, mode and time then); completing checks and streams the copy.</summary>
    public async Task<IHeldDump> HoldAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DumpOptions();
        var dsn = Own(source);
        var clock = Stopwatch.StartNew();
        var path = RequireFile(dsn, "dumping");
        var folder = PrivateFolder.Create("cellar-sqlite");
        try
        {
            var copy = Path.Combine(folder, SqliteDumpHeader.DatabaseStream);
            await Task.Run(() => Backup(path, copy), cancellationToken).ConfigureAwait(false);
            var owner = FileMetadata.Owner(path);
            var mode = OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(path);
            var mtimeUtc = File.GetLastWriteTimeUtc(path);
            var mtime = FileMetadata.ModifyTime(path);
            return new HeldDump(
                ct => CompleteAsync(path, copy, owner, mode, mtimeUtc, mtime, sink, options, clock, ct),
                () =>
                {
                    PrivateFolder.DeleteQuietly(folder);
                    return ValueTask.CompletedTask;
                });
        }
        catch
        {
            PrivateFolder.DeleteQuietly(folder);
            throw;
        }
    }

    private async Task<DumpSummary> CompleteAsync(
        string path, string copy, (int Uid, int Gid)? owner, int mode, DateTime mtimeUtc, (long Seconds, long Nanoseconds)? mtime,
        IDumpSink sink, DumpOptions options, Stopwatch clock, CancellationToken cancellationToken)
    {
        var (version, integrity, tables, views, triggers) = Describe(copy, "the backup copy of " + path);
        if (integrity != "ok")
        {
            throw new DatabaseException($"the backup copy of SQLite database {path} fails PRAGMA integrity_check ({integrity}); the database itself may be damaged: check it with sqlite3 before relying on this backup.");
        }

        var header = new SqliteDumpHeader
        {
            SqliteVersion = "SQLite " + version,
            Path = path,
            Uid = owner?.Uid,
            Gid = owner?.Gid,
            Mode = mode,
            MtimeUtc = mtimeUtc,
            MtimeUnix = mtime is { } time ? [time.Seconds, time.Nanoseconds] : null,
            IntegrityCheck = integrity,
            Tables = tables,
            Views = views,
            Triggers = triggers,
        };
        var bytes = new FileInfo(copy).Length;
        await using (var input = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        await using (var output = await sink.OpenAsync(SqliteDumpHeader.DatabaseStream, cancellationToken).ConfigureAwait(false))
        {
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }

        await using (var output = await sink.OpenAsync(SqliteDumpHeader.FileName, cancellationToken).ConfigureAwait(false))
        {
            await output.WriteAsync(header.ToJson(), cancellationToken).ConfigureAwait(false);
        }

        var summaries = tables.Select((t, i) => new TableSummary(t.Name, SqliteDumpHeader.DatabaseStream, Name, t.Rows, i == 0 ? bytes : 0)).ToList();
        foreach (var table in summaries)
        {
            options.OnTableDone?.Invoke(table);
        }

        return new DumpSummary(path, header.SqliteVersion, ConsistencyGuarantee.AllTablesOneMoment, Guarantee, summaries, views, triggers, clock.Elapsed);
    }

    public async Task<RestoreSummary> RestoreAsync(DatabaseDsn target, IDumpSource source, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var dsn = Own(target);
        var clock = Stopwatch.StartNew();
        var path = Path.GetFullPath(dsn.Path);
        SqliteDumpHeader header;
        await using (var stream = await source.OpenAsync(SqliteDumpHeader.FileName, cancellationToken).ConfigureAwait(false))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            header = SqliteDumpHeader.FromJson(buffer.ToArray());
        }

        await RefuseNonEmptyAsync(dsn, options.Force, cancellationToken).ConfigureAwait(false);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var folderTime = FileMetadata.ModifyTime(folder);
        var temporary = path + ".cellar-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var input = await source.OpenAsync(SqliteDumpHeader.DatabaseStream, cancellationToken).ConfigureAwait(false))
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }

            PlaceChecked(temporary, path, header);
        }
        finally
        {
            File.Delete(temporary);
            if (folderTime is { } time)
            {
                FileMetadata.SetModifyTime(folder, time);
            }
        }

        var tables = header.Tables.Select(t => new TableSummary(t.Name, SqliteDumpHeader.DatabaseStream, Name, t.Rows, 0)).ToList();
        foreach (var table in tables)
        {
            options.OnTableDone?.Invoke(table);
        }

        return new RestoreSummary(path, tables, header.Views + header.Triggers, clock.Elapsed);
    }

    public async Task<CopySummary> CopyAsync(DatabaseDsn source, DatabaseDsn target, DumpOptions? dumpOptions = null, RestoreOptions? restoreOptions = null, CancellationToken cancellationToken = default)
    {
        var from = Own(source);
        var to = Own(target);
        if (from.IsSameDatabase(to))
        {
            throw new DatabaseException($"the source and target are the same database ({from}); copy into another file.");
        }

        var folder = PrivateFolder.Create("cellar-sqlite");
        try
        {
            var sink = new DirectoryDumpSink(folder);
            var dump = await DumpAsync(from, sink, dumpOptions, cancellationToken).ConfigureAwait(false);
            var restore = await RestoreAsync(to, new DirectoryDumpSource(folder), restoreOptions, cancellationToken).ConfigureAwait(false);
            return new CopySummary(dump, restore);
        }
        finally
        {
            PrivateFolder.DeleteQuietly(folder);
        }
    }

    public Task<DatabaseServerInfo> ProbeAsync(DatabaseDsn dsn, CancellationToken cancellationToken = default)
    {
        var own = Own(dsn);
        var path = RequireFile(own, "probing");
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            var version = Scalar(connection, "SELECT sqlite_version()");
            var tables = Convert.ToInt32(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), System.Globalization.CultureInfo.InvariantCulture);
            var bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
            return Task.FromResult(new DatabaseServerInfo(Name, "SQLite " + version, tables, bytes));
        }
        catch (SqliteException ex)
        {
            throw new DatabaseException($"the SQLite database {path} cannot be read ({ex.Message}).", ex);
        }
    }

    public Task<int> CountTablesAsync(DatabaseDsn target, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(Own(target).Path);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return Task.FromResult(0);
        }

        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            return Task.FromResult(Convert.ToInt32(
                Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (SqliteException ex)
        {
            throw new DatabaseException($"{path} is there but is not an SQLite database Cellar can read ({ex.Message}); move it away or give --force.", ex);
        }
    }

    private async Task RefuseNonEmptyAsync(SqliteDsn dsn, bool force, CancellationToken ct)
    {
        if (force || !File.Exists(dsn.Path))
        {
            return;
        }

        int tables;
        try
        {
            tables = await CountTablesAsync(dsn, ct).ConfigureAwait(false);
        }
        catch (DatabaseException) when (force)
        {
            return;
        }

        if (tables > 0)
        {
            throw new DatabaseException($"the SQLite database {dsn.Path} already has {tables} table(s) or views; restore into a new path, or give --force to replace the file.");
        }
    }

    /// <summary>Checks the restored copy, then renames it over the database path (its stale journal files removed) with the original owner, mode and mtime.</summary>
    private static void PlaceChecked(string temporary, string path, SqliteDumpHeader header)
    {
        string integrity;
        using (var connection = Open(temporary, SqliteOpenMode.ReadWrite))
        {
            integrity = Scalar(connection, "PRAGMA integrity_check");
        }

        SqliteConnection.ClearAllPools();
        if (integrity != "ok")
        {
            throw new DatabaseException($"the SQLite copy in the snapshot fails PRAGMA integrity_check ({integrity}); {path} was left unchanged.");
        }

        foreach (var stale in new[] { "-wal", "-shm", "-journal" })
        {
            File.Delete(path + stale);
        }

        if (!OperatingSystem.IsWindows() && header.Mode != 0)
        {
            File.SetUnixFileMode(temporary, (UnixFileMode)header.Mode);
        }

        if (header.Uid is { } uid && header.Gid is { } gid)
        {
            FileMetadata.TrySetOwner(temporary, uid, gid);
        }

        File.SetLastWriteTimeUtc(temporary, header.MtimeUtc);
        if (header.MtimeUnix is [var seconds, var nanoseconds])
        {
            FileMetadata.SetModifyTime(temporary, (seconds, nanoseconds));
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void Backup(string path, string copy)
    {
        // Opening a WAL database creates its -wal and -shm files, which touches the folder: when no one
        // else had them open (they are gone again after), the folder gets its mtime back.
        var folder = Path.GetDirectoryName(path)!;
        var folderTime = FileMetadata.ModifyTime(folder);
        var hadSidecars = File.Exists(path + "-wal") || File.Exists(path + "-shm");
        try
        {
            using (var from = Open(path, SqliteOpenMode.ReadWrite))
            using (var to = Open(copy, SqliteOpenMode.ReadWriteCreate))
            {
                from.BackupDatabase(to);
            }

            SqliteConnection.ClearAllPools();
            if (!hadSidecars && folderTime is { } time && !File.Exists(path + "-wal") && !File.Exists(path + "-shm"))
            {
                FileMetadata.SetModifyTime(folder, time);
            }
        }
        catch (SqliteException ex)
        {
            throw new DatabaseException($"the SQLite database {path} cannot be copied with the backup API ({ex.Message}).", ex);
        }
    }

    private static (string Version, string Integrity, List<SqliteDumpTable> Tables, int Views, int Triggers) Describe(string path, string what)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            var version = Scalar(connection, "SELECT sqlite_version()");
            var integrity = Scalar(connection, "PRAGMA integrity_check");
            var names = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }
            }

            var tables = names.Select(n => new SqliteDumpTable(n, Convert.ToInt64(
                Scalar(connection, "SELECT count(*) FROM \"" + n.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""), System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var views = Convert.ToInt32(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'view'"), System.Globalization.CultureInfo.InvariantCulture);
            var triggers = Convert.ToInt32(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), System.Globalization.CultureInfo.InvariantCulture);
            return (version, integrity, tables, views, triggers);
        }
        catch (SqliteException ex)
        {
            throw new DatabaseException($"{what} cannot be read ({ex.Message}).", ex);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        return connection;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static string RequireFile(SqliteDsn dsn, string doing)
    {
        var path = Path.GetFullPath(dsn.Path);
        return File.Exists(path)
            ? path
            : throw new DatabaseException($"{doing} SQLite database: the file {path} does not exist; check the DSN (sqlite:///path/to/file.db).");
    }

    private static SqliteDsn Own(DatabaseDsn dsn) =>
        dsn as SqliteDsn ?? throw new DatabaseException($"{dsn} is a {dsn.Engine.DisplayName} database, not SQLite; dump and load it with its own engine.");
}
