using System.Diagnostics;
using System.Globalization;
using Cellar.Databases.Internal;
using Cellar.Databases.Postgres.Internal;

namespace Cellar.Databases.Postgres;

/// <summary>
/// PostgreSQL 13+, through the client programs a PostgreSQL DBA already trusts: <c>pg_dump -Fd -Z0</c>
/// (every table in one snapshot shared by its parallel workers, one uncompressed file per table so
/// the repository deduplicates and compresses them) and <c>pg_restore -j</c> (tables, then indexes
/// and constraints, in parallel). Cellar adds the header, the empty-target rule, database creation,
/// and errors that say what to do. Why not a native path: docs/databases.md.
/// </summary>
internal sealed class PostgresEngine : IDatabaseEngine
{
    private const string Guarantee =
        "every table from one moment: pg_dump reads the whole database in one repeatable-read snapshot, shared by its parallel workers";

    public string Name => "postgres";

    public string DisplayName => "PostgreSQL";

    public string ConsistencyDescription => Guarantee;

    public DatabaseDsn Parse(string dsn) => PostgresDsn.Parse(dsn);

    public async Task<DumpSummary> DumpAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var held = await HoldAsync(source, sink, options, cancellationToken).ConfigureAwait(false);
        return await held.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Exports a snapshot in a transaction held open by one psql session; <c>pg_dump --snapshot</c> reads it when completed.</summary>
    public async Task<IHeldDump> HoldAsync(DatabaseDsn source, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DumpOptions();
        var pg = Own(source);
        var clock = Stopwatch.StartNew();
        var doing = $"dumping PostgreSQL database {pg.Database}";
        var server = await PgServer.ReadAsync(pg, doing, cancellationToken).ConfigureAwait(false);
        var pgDump = await PgTools.RequireAsync("pg_dump", server.Major, cancellationToken).ConfigureAwait(false);
        var snapshot = await PgSnapshot.ExportAsync(pg, doing, cancellationToken).ConfigureAwait(false);
        return new HeldDump(ct => DumpFromSnapshotAsync(pg, sink, options, server, pgDump, snapshot.Id, clock, ct), snapshot.DisposeAsync);
    }

    private async Task<DumpSummary> DumpFromSnapshotAsync(
        PostgresDsn pg, IDumpSink sink, DumpOptions options, PgServer server, string pgDump, string snapshot, Stopwatch clock, CancellationToken cancellationToken)
    {
        var doing = $"dumping PostgreSQL database {pg.Database}";

        // pg_dump writes straight into an empty dump folder; any other sink gets the files copied from a private one.
        var direct = sink is DirectoryDumpSink d && (!Directory.Exists(d.Directory) || !Directory.EnumerateFileSystemEntries(d.Directory).Any());
        var folder = direct ? ((DirectoryDumpSink)sink).Directory : PrivateFolder.Create("cellar-pg");
        try
        {
            var args = new List<string> { "-Fd", "-Z0", "-j", Math.Max(1, options.Parallelism).ToString(CultureInfo.InvariantCulture), "--snapshot=" + snapshot, "-f", folder };
            foreach (var table in options.Tables)
            {
                args.Add("-t");
                args.Add(table);
            }

            args.Add(pg.Database);
            await PgTools.RunAsync(pgDump, args, pg, doing, cancellationToken).ConfigureAwait(false);
            var pgRestore = await PgTools.RequireAsync("pg_restore", 0, cancellationToken).ConfigureAwait(false);
            var toc = PgToc.Parse(await PgTools.RunAsync(pgRestore, ["-l", folder], pg, doing, cancellationToken).ConfigureAwait(false));
            var pgDumpVersion = await PgTools.RunAsync(pgDump, ["--version"], pg, doing, cancellationToken).ConfigureAwait(false);

            var tables = new List<TableSummary>();
            foreach (var (name, file) in toc.TableData)
            {
                var path = Path.Combine(folder, file);
                var (rows, bytes) = File.Exists(path) ? await CountRowsAsync(path, cancellationToken).ConfigureAwait(false) : (0L, 0L);
                var summary = new TableSummary(name, file, Name, rows, bytes);
                tables.Add(summary);
                options.OnTableDone?.Invoke(summary);
            }

            var files = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Where(f => f != PostgresDumpHeader.FileName).Order(StringComparer.Ordinal).ToList();
            var header = new PostgresDumpHeader
            {
                ServerVersion = "PostgreSQL " + server.Version,
                PgDumpVersion = pgDumpVersion.Trim(),
                Database = pg.Database,
                Encoding = server.Encoding,
                Collate = server.Collate,
                Ctype = server.Ctype,
                GuaranteeDescription = Guarantee,
                Files = files,
                Tables = tables.Select(t => new PostgresDumpTable(t.Name, t.StreamName, t.Rows, t.Bytes)).ToList(),
                Schemas = toc.Schemas,
                Views = toc.Views,
                Triggers = toc.Triggers,
            };
            if (!direct)
            {
                foreach (var file in files)
                {
                    await using var input = new FileStream(Path.Combine(folder, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                    await using var output = await sink.OpenAsync(file, cancellationToken).ConfigureAwait(false);
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var output = await sink.OpenAsync(PostgresDumpHeader.FileName, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteAsync(header.ToJson(), cancellationToken).ConfigureAwait(false);
            }

            return new DumpSummary(pg.Database, header.ServerVersion, ConsistencyGuarantee.AllTablesOneMoment, Guarantee, tables, toc.Views, toc.Triggers, clock.Elapsed);
        }
        finally
        {
            if (!direct)
            {
                PrivateFolder.DeleteQuietly(folder);
            }
        }
    }

    public async Task<RestoreSummary> RestoreAsync(DatabaseDsn target, IDumpSource source, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var pg = Own(target);
        var clock = Stopwatch.StartNew();
        var doing = $"loading PostgreSQL database {pg.Database}";
        PostgresDumpHeader header;
        await using (var stream = await source.OpenAsync(PostgresDumpHeader.FileName, cancellationToken).ConfigureAwait(false))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            header = PostgresDumpHeader.FromJson(buffer.ToArray());
        }

        var server = await PgServer.ReadAnyAsync(pg, doing, cancellationToken).ConfigureAwait(false);
        var pgRestore = await PgTools.RequireAsync("pg_restore", server.Major, cancellationToken).ConfigureAwait(false);
        var tables = await CountTablesAsync(pg, cancellationToken).ConfigureAwait(false);
        if (tables > 0 && !options.Force)
        {
            throw new DatabaseException(
                $"the PostgreSQL database {pg.Database} already has {tables} table(s), views or sequences; restore into an empty database, or give --force to replace the dumped objects.");
        }

        if (!await ExistsAsync(pg, doing, cancellationToken).ConfigureAwait(false))
        {
            if (!options.CreateDatabase)
            {
                throw new DatabaseException($"{doing}: the database does not exist; create it, then run again.");
            }

            await PgTools.QueryAsync(pg,
                $"CREATE DATABASE {Identifier(pg.Database)} TEMPLATE template0 ENCODING {Literal(header.Encoding)} LC_COLLATE {Literal(header.Collate)} LC_CTYPE {Literal(header.Ctype)}",
                doing + " (creating it)", cancellationToken, PgServer.MaintenanceDatabase).ConfigureAwait(false);
        }

        var folder = source is DirectoryDumpSource d ? d.Directory : PrivateFolder.Create("cellar-pg");
        try
        {
            if (source is not DirectoryDumpSource)
            {
                foreach (var file in header.Files)
                {
                    await using var input = await source.OpenAsync(file, cancellationToken).ConfigureAwait(false);
                    await using var output = new FileStream(Path.Combine(folder, DumpStreamName.CheckSafe(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
            }

            if (tables > 0)
            {
                // Forced: the schemas the dump fills are emptied first (pg_restore --clean stops at the first
                // object whose shape differs from the dump's), then public is made again as initdb makes it.
                var drops = string.Concat(header.Schemas.Select(s => $"DROP SCHEMA IF EXISTS {Identifier(s)} CASCADE; "));
                await PgTools.QueryAsync(pg, drops + "CREATE SCHEMA IF NOT EXISTS public; COMMENT ON SCHEMA public IS 'standard public schema';", doing + " (emptying the dumped schemas)", cancellationToken).ConfigureAwait(false);
            }

            var args = new List<string> { "-j", Math.Max(1, options.Parallelism).ToString(CultureInfo.InvariantCulture), "--exit-on-error", "--no-owner", "--no-privileges" };

            args.AddRange(["-d", pg.Database, folder]);
            try
            {
                await PgTools.RunAsync(pgRestore, args, pg, doing, cancellationToken).ConfigureAwait(false);
            }
            catch (DatabaseException ex)
            {
                throw new RestoreException(
                    $"{ex.Message} The load stopped part way; empty the database (or give --force) and restore again.",
                    [], header.Tables.Select(t => t.Name).ToList(), ex);
            }
        }
        finally
        {
            if (source is not DirectoryDumpSource)
            {
                PrivateFolder.DeleteQuietly(folder);
            }
        }

        var loaded = header.Tables.Select(t => new TableSummary(t.Name, t.Stream, Name, t.Rows, t.Bytes)).ToList();
        foreach (var table in loaded)
        {
            options.OnTableDone?.Invoke(table);
        }

        return new RestoreSummary(pg.Database, loaded, header.Views + header.Triggers, clock.Elapsed);
    }

    public async Task<CopySummary> CopyAsync(DatabaseDsn source, DatabaseDsn target, DumpOptions? dumpOptions = null, RestoreOptions? restoreOptions = null, CancellationToken cancellationToken = default)
    {
        var from = Own(source);
        var to = Own(target);
        if (from.IsSameDatabase(to))
        {
            throw new DatabaseException($"the source and target are the same database ({from}); copy into another database.");
        }

        var folder = PrivateFolder.Create("cellar-pg");
        try
        {
            var dumpFolder = Path.Combine(folder, "dump");
            var dump = await DumpAsync(from, new DirectoryDumpSink(dumpFolder), dumpOptions, cancellationToken).ConfigureAwait(false);
            var restore = await RestoreAsync(to, new DirectoryDumpSource(dumpFolder), restoreOptions, cancellationToken).ConfigureAwait(false);
            return new CopySummary(dump, restore);
        }
        finally
        {
            PrivateFolder.DeleteQuietly(folder);
        }
    }

    public async Task<DatabaseServerInfo> ProbeAsync(DatabaseDsn dsn, CancellationToken cancellationToken = default)
    {
        var pg = Own(dsn);
        var rows = await PgTools.QueryAsync(pg,
            "SELECT current_setting('server_version'), (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'), pg_database_size(current_database())",
            $"probing PostgreSQL database {pg.Database}", cancellationToken).ConfigureAwait(false);
        var row = rows[0];
        return new DatabaseServerInfo(Name, "PostgreSQL " + row[0], int.Parse(row[1], CultureInfo.InvariantCulture), long.Parse(row[2], CultureInfo.InvariantCulture));
    }

    public async Task<int> CountTablesAsync(DatabaseDsn target, CancellationToken cancellationToken = default)
    {
        var pg = Own(target);
        try
        {
            var rows = await PgTools.QueryAsync(pg,
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE c.relkind IN ('r','p','v','m','S','f') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'",
                $"checking PostgreSQL database {pg.Database}", cancellationToken).ConfigureAwait(false);
            return int.Parse(rows[0][0], CultureInfo.InvariantCulture);
        }
        catch (DatabaseException ex) when (PgTools.IsMissingDatabase(ex))
        {
            return 0;
        }
    }

    private static async Task<bool> ExistsAsync(PostgresDsn pg, string doing, CancellationToken ct)
    {
        var rows = await PgTools.QueryAsync(pg, $"SELECT count(*) FROM pg_database WHERE datname = {Literal(pg.Database)}", doing, ct, PgServer.MaintenanceDatabase).ConfigureAwait(false);
        return rows[0][0] != "0";
    }

    /// <summary>Rows of a COPY data file: one line per row (newlines inside values are escaped), then the <c>\.</c> end marker and two blank lines.</summary>
    private static async Task<(long Rows, long Bytes)> CountRowsAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            lines += System.MemoryExtensions.Count(buffer.AsSpan(0, read), (byte)'\n');
        }

        var tail = new byte[Math.Min(5, (int)file.Length)];
        file.Position = file.Length - tail.Length;
        await file.ReadExactlyAsync(tail, ct).ConfigureAwait(false);
        var ending = tail.AsSpan().SequenceEqual("\\.\n\n\n"u8) ? 3 : 0;
        return (Math.Max(0, lines - ending), file.Length);
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static PostgresDsn Own(DatabaseDsn dsn) =>
        dsn as PostgresDsn ?? throw new DatabaseException($"{dsn} is a {dsn.Engine.DisplayName} database, not PostgreSQL; dump and load it with its own engine.");
}
