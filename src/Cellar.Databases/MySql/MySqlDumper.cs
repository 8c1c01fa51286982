using System.Collections.Concurrent;
using System.Diagnostics;
using Cellar.Databases.MySql.Internal;
using MySqlConnector;

namespace Cellar.Databases.MySql;

/// <summary>
/// Exact, consistent logical dumps of one MySQL/MariaDB database: one stream per table (schema and
/// rows in key order, identical bytes for unchanged data), a views-and-triggers stream, and a header.
/// </summary>
public static class MySqlDumper
{
    /// <summary>Dumps the DSN's database into <paramref name="sink"/> as per-table streams plus header (see <see cref="DumpFileNames"/>).</summary>
    public static Task<DumpSummary> DumpAsync(MySqlDsn dsn, IDumpSink sink, DumpOptions? options = null, CancellationToken cancellationToken = default) =>
        DumpCoreAsync(dsn, sink, options ?? new DumpOptions(), null, cancellationToken);

    /// <summary>Dumps into one SQL script that the stock <c>mariadb</c>/<c>mysql</c> client loads unchanged.</summary>
    public static async Task<DumpSummary> DumpToStreamAsync(MySqlDsn dsn, Stream output, DumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var sink = new SingleFileSink(output);
        // One file has one section per table: its tables are not split into key ranges.
        var summary = await DumpCoreAsync(dsn, sink, (options ?? new DumpOptions()) with { ChunkRows = 0 }, sink.WriteStartAsync, cancellationToken).ConfigureAwait(false);
        await sink.FinishAsync(summary, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    internal static async Task<DumpSummary> DumpCoreAsync(
        MySqlDsn dsn, IDumpSink sink, DumpOptions options, Func<DumpHeader, CancellationToken, ValueTask>? onStart, CancellationToken ct)
    {
        await using var held = await HoldAsync(dsn, sink, options, onStart, ct).ConfigureAwait(false);
        return await held.CompleteAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the dump's moment: a global read lock (when allowed and needed) while every dump
    /// connection opens its REPEATABLE READ snapshot, the schema, and the non-transactional tables
    /// read under the lock; the lock is released before this returns. The rows of the transactional
    /// tables are read by <see cref="IHeldDump.CompleteAsync"/> from those snapshots.
    /// </summary>
    internal static async Task<IHeldDump> HoldAsync(
        MySqlDsn dsn, IDumpSink sink, DumpOptions options, Func<DumpHeader, CancellationToken, ValueTask>? onStart, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var control = await Connections.OpenAsync(dsn, ct).ConfigureAwait(false);
        var workers = new List<MySqlConnection>();
        try
        {
            var version = control.ServerVersion;
            var maxPacket = await Connections.ScalarAsync<long>(control, "SELECT @@max_allowed_packet", ct).ConfigureAwait(false);
            var maxStatement = (int)Math.Max(16 << 10, Math.Min(options.MaxStatementBytes, maxPacket - (16 << 10)));

            // Which tables are there, and do we need a lock for them?
            var engines = await ListEnginesAsync(control, options.Tables, ct).ConfigureAwait(false);
            var nonTransactional = engines.Where(e => !new TableInfo(e.Key, e.Value.Engine, 0).IsTransactional).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            // Streams to read at most: one per table, more for tables big enough to be split into key ranges.
            var streams = engines.Values.Sum(e => ChunkPlanner.PartsFor(e.Rows, options.ChunkRows));
            var wantParallel = options.Parallelism > 1 && streams > 1;
            var locked = false;
            if (wantParallel || nonTransactional.Count > 0)
            {
                locked = await TryGlobalReadLockAsync(control, ct).ConfigureAwait(false);
            }

            var workerCount = locked ? (int)Math.Max(1, Math.Min(options.Parallelism, streams)) : 1;
            for (var i = 0; i < workerCount; i++)
            {
                var worker = await Connections.OpenAsync(dsn, ct).ConfigureAwait(false);
                workers.Add(worker);
                await Connections.ExecuteAsync(worker, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", ct).ConfigureAwait(false);
                await Connections.ExecuteAsync(worker, "START TRANSACTION WITH CONSISTENT SNAPSHOT", ct).ConfigureAwait(false);
            }

            var objects = await SchemaReader.ReadAsync(control, options.Tables, ct).ConfigureAwait(false);
            var (guarantee, description) = Describe(locked, workerCount, objects.Tables.Count, nonTransactional);
            var header = new DumpHeader
            {
                ServerVersion = version,
                Database = dsn.Database,
                CharacterSet = objects.DefaultCharacterSet,
                Collation = objects.DefaultCollation,
                SqlMode = SqlText.SqlMode,
                Guarantee = guarantee,
                GuaranteeDescription = description,
                Tables = objects.Tables.Select(t => new DumpHeaderTable(t.Name, t.StreamName, t.Engine, 0)).ToList(),
            };
            if (onStart is not null)
            {
                await onStart(header, ct).ConfigureAwait(false);
            }

            var done = new ConcurrentDictionary<string, TableSummary>(StringComparer.Ordinal);
            var lockedPhase = objects.Tables.Where(t => !t.IsTransactional).ToList();
            var snapshotPhase = objects.Tables.Where(t => t.IsTransactional).ToList();
            if (!locked)
            {
                snapshotPhase = [.. lockedPhase, .. snapshotPhase];
                lockedPhase = [];
            }

            await RunPhaseAsync(lockedPhase.Select(TableChunk.Whole).ToList(), workers, sink, maxStatement, options, done, dsn, ct).ConfigureAwait(false);
            // Views and triggers are read at the held moment too: the schema is part of it.
            var (script, views, triggers) = await SchemaReader.ReadObjectsScriptAsync(control, objects, ct).ConfigureAwait(false);
            if (locked)
            {
                await Connections.ExecuteAsync(control, "UNLOCK TABLES", ct).ConfigureAwait(false);
            }

            await control.DisposeAsync().ConfigureAwait(false);
            return new Held(dsn, sink, options, workers, objects, snapshotPhase, done, header, script, views, triggers, maxStatement, clock);
        }
        catch (MySqlException ex)
        {
            await CloseAsync(control, workers).ConfigureAwait(false);
            throw MySqlErrors.Describe(ex, dsn, "dumping " + dsn.Database);
        }
        catch
        {
            await CloseAsync(control, workers).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CloseAsync(MySqlConnection control, List<MySqlConnection> workers)
    {
        await control.DisposeAsync().ConfigureAwait(false);
        foreach (var worker in workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The snapshot transactions held open on the dump connections, until the rows are read.</summary>
    private sealed class Held(
        MySqlDsn dsn, IDumpSink sink, DumpOptions options, List<MySqlConnection> workers, DatabaseObjects objects, List<TableInfo> snapshotPhase,
        ConcurrentDictionary<string, TableSummary> done, DumpHeader header, string objectsScript, int views, int triggers, int maxStatement, Stopwatch clock) : IHeldDump
    {
        private int _completed;

        public async Task<DumpSummary> CompleteAsync(CancellationToken ct)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                throw new InvalidOperationException("A held dump is completed once.");
            }

            try
            {
                // Key ranges only pay when several connections read them; their bounds come from the same snapshot.
                var chunks = workers.Count > 1
                    ? await ChunkPlanner.PlanAsync(workers[0], snapshotPhase, options.ChunkRows, ct).ConfigureAwait(false)
                    : snapshotPhase.Select(TableChunk.Whole).ToList();
                await RunPhaseAsync(chunks, workers, sink, maxStatement, options, done, dsn, ct).ConfigureAwait(false);
                var parts = chunks.Where(c => !c.IsFirst).GroupBy(c => c.Table.Name).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Index).Select(c => c.StreamName).ToList());
                await using (var objectsStream = await sink.OpenAsync(DumpFileNames.Objects, ct).ConfigureAwait(false))
                {
                    await objectsStream.WriteAsync(SqlText.Utf8(objectsScript), ct).ConfigureAwait(false);
                }

                var tables = objects.Tables.Select(t => done[t.Name]).ToList();
                var final = header with
                {
                    Tables = tables.Select(t => new DumpHeaderTable(t.Name, t.StreamName, t.Engine, t.Rows) { Parts = parts.GetValueOrDefault(t.Name) }).ToList(),
                    Views = views,
                    Triggers = triggers,
                };
                await using (var headerStream = await sink.OpenAsync(DumpFileNames.Header, ct).ConfigureAwait(false))
                {
                    await headerStream.WriteAsync(final.ToJson(), ct).ConfigureAwait(false);
                }

                return new DumpSummary(dsn.Database, header.ServerVersion, header.Guarantee, header.GuaranteeDescription, tables, views, triggers, clock.Elapsed);
            }
            catch (MySqlException ex)
            {
                throw MySqlErrors.Describe(ex, dsn, "dumping " + dsn.Database);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }

            workers.Clear();
        }
    }

    private static async Task RunPhaseAsync(
        List<TableChunk> chunks, List<MySqlConnection> workers, IDumpSink sink, int maxStatement, DumpOptions options,
        ConcurrentDictionary<string, TableSummary> done, MySqlDsn dsn, CancellationToken ct)
    {
        // Biggest streams first (a split table's ranges count as its size over their number), each table's ranges in order.
        var queue = new ConcurrentQueue<TableChunk>(chunks
            .OrderByDescending(c => c.Table.EstimatedBytes / c.Count).ThenBy(c => c.Table.Name, StringComparer.Ordinal).ThenBy(c => c.Index));
        var remaining = chunks.GroupBy(c => c.Table.Name).ToDictionary(g => g.Key, g => (Left: g.Count(), Rows: 0L, Bytes: 0L), StringComparer.Ordinal);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = workers.Select(worker => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var chunk))
            {
                var table = chunk.Table;
                try
                {
                    await using var stream = await sink.OpenAsync(chunk.StreamName, failed.Token).ConfigureAwait(false);
                    var (rows, bytes) = await TableDumper.DumpAsync(worker, chunk, stream, maxStatement, failed.Token).ConfigureAwait(false);
                    TableSummary? summary = null;
                    lock (remaining)
                    {
                        var (left, sumRows, sumBytes) = remaining[table.Name];
                        remaining[table.Name] = (left - 1, sumRows + rows, sumBytes + bytes);
                        if (left == 1)
                        {
                            summary = new TableSummary(table.Name, table.StreamName, table.Engine, sumRows + rows, sumBytes + bytes);
                        }
                    }

                    if (summary is not null)
                    {
                        done[table.Name] = summary;
                        options.OnTableDone?.Invoke(summary);
                    }
                }
                catch (MySqlException ex)
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw MySqlErrors.Describe(ex, dsn, "dumping table " + SqlText.Identifier(table.Name));
                }
                catch
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }, failed.Token)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // One worker failed and cancelled the others: report the real failure.
            throw tasks.Select(t => t.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
        }
    }

    private static async Task<Dictionary<string, (string Engine, long Rows)>> ListEnginesAsync(MySqlConnection connection, IReadOnlyList<string> only, CancellationToken ct)
    {
        var result = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        await using var cmd = new MySqlCommand(
            "SELECT TABLE_NAME, IFNULL(ENGINE, ''), CAST(IFNULL(TABLE_ROWS, 0) AS SIGNED) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
            connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (only.Count == 0 || only.Contains(name))
            {
                result[name] = (reader.GetString(1), reader.GetInt64(2));
            }
        }

        return result;
    }

    private static async Task<bool> TryGlobalReadLockAsync(MySqlConnection control, CancellationToken ct)
    {
        try
        {
            await Connections.ExecuteAsync(control, "SET SESSION lock_wait_timeout = 10", ct).ConfigureAwait(false);
            await Connections.ExecuteAsync(control, "FLUSH TABLES WITH READ LOCK", ct).ConfigureAwait(false);
            return true;
        }
        catch (MySqlException ex) when (ex.Number is 1227 or 1045 or 1205 or 1142 or 1044)
        {
            return false;
        }
    }

    private static (ConsistencyGuarantee, string) Describe(bool locked, int workers, int tables, List<string> nonTransactional)
    {
        if (locked)
        {
            var extra = nonTransactional.Count > 0
                ? $", and kept while the non-transactional tables ({string.Join(", ", nonTransactional)}) were read"
                : "";
            return (ConsistencyGuarantee.AllTablesOneMoment,
                $"all {tables} tables from one moment: a global read lock was held while {workers} connection(s) opened REPEATABLE READ snapshots{extra}");
        }

        if (nonTransactional.Count == 0)
        {
            return (ConsistencyGuarantee.AllTablesOneMoment, $"all {tables} tables from one moment: one connection's REPEATABLE READ snapshot");
        }

        return (ConsistencyGuarantee.TransactionalTablesOneMoment,
            "InnoDB tables from one moment (one REPEATABLE READ snapshot); the non-transactional tables " + string.Join(", ", nonTransactional) +
            " were read without a lock (the user lacks the RELOAD privilege for FLUSH TABLES WITH READ LOCK) and may be from other moments");
    }
}
