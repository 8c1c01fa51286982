using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Cellar.Databases.MySql.Internal;
using MySqlConnector;

namespace Cellar.Databases.MySql;

/// <summary>
/// Loads dumps into a database: tables in parallel (each on its own connection, checks off; the key
/// ranges of a split table in parallel once its first stream has created it), then views and triggers. Refuses a database that already has tables unless forced; on failure says
/// which tables are complete.
/// </summary>
public static class MySqlLoader
{
    private static readonly byte[] MarkerPrefix = "\n-- cellar:"u8.ToArray();

    /// <summary>Loads a per-table dump (header + streams) from <paramref name="source"/>.</summary>
    public static async Task<RestoreSummary> RestoreAsync(MySqlDsn dsn, IDumpSource source, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var clock = Stopwatch.StartNew();
        DumpHeader header;
        await using (var headerStream = await source.OpenAsync(DumpFileNames.Header, cancellationToken).ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await headerStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            header = DumpHeader.FromJson(buffer.ToArray());
        }

        await PrepareTargetAsync(dsn, header.CharacterSet, header.Collation, options, cancellationToken).ConfigureAwait(false);
        var sections = header.Tables.Select(t => new Section(t.Name, ct => source.OpenAsync(t.Stream, ct))
        {
            Parts = (t.Parts ?? []).Select(part => (Func<CancellationToken, ValueTask<Stream>>)(ct => source.OpenAsync(part, ct))).ToList(),
        }).ToList();
        var tables = await LoadTablesAsync(dsn, sections, options, cancellationToken).ConfigureAwait(false);
        await using (var objects = await source.OpenAsync(header.Objects, cancellationToken).ConfigureAwait(false))
        {
            await RunObjectsAsync(dsn, objects, tables, cancellationToken).ConfigureAwait(false);
        }

        return new RestoreSummary(dsn.Database, tables, header.Views + header.Triggers, clock.Elapsed);
    }

    /// <summary>
    /// Loads a single-file SQL dump. A Cellar dump loads its tables in parallel (split at its own
    /// markers); any other script runs statement by statement on one connection.
    /// </summary>
    public static async Task<RestoreSummary> RestoreFileAsync(MySqlDsn dsn, string path, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var clock = Stopwatch.StartNew();
        var markers = await FindMarkersAsync(path, cancellationToken).ConfigureAwait(false);
        await PrepareTargetAsync(dsn, "utf8mb4", null, options, cancellationToken).ConfigureAwait(false);
        var length = new FileInfo(path).Length;
        if (markers.Count == 0)
        {
            await using var whole = new RangeStream(path, 0, length);
            var loaded = await RunSequentialAsync(dsn, whole, cancellationToken).ConfigureAwait(false);
            return new RestoreSummary(dsn.Database, loaded, 0, clock.Elapsed);
        }

        var sections = new List<Section>();
        long objectsStart = -1, objectsEnd = length;
        for (var i = 0; i < markers.Count; i++)
        {
            var (offset, kind, name) = markers[i];
            var end = i + 1 < markers.Count ? markers[i + 1].Offset : length;
            if (kind == "table")
            {
                sections.Add(new Section(DumpFileNames.TableOf(name), _ => ValueTask.FromResult<Stream>(new RangeStream(path, offset, end - offset))));
            }
            else if (kind == "objects")
            {
                (objectsStart, objectsEnd) = (offset, end);
            }
        }

        var tables = await LoadTablesAsync(dsn, sections, options, cancellationToken).ConfigureAwait(false);
        var objects = 0;
        if (objectsStart >= 0)
        {
            await using var stream = new RangeStream(path, objectsStart, objectsEnd - objectsStart);
            objects = await RunObjectsAsync(dsn, stream, tables, cancellationToken).ConfigureAwait(false);
        }

        return new RestoreSummary(dsn.Database, tables, objects, clock.Elapsed);
    }

    /// <summary>Loads a script read from a stream (for example standard input) on one connection.</summary>
    public static async Task<RestoreSummary> RestoreStreamAsync(MySqlDsn dsn, Stream script, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var clock = Stopwatch.StartNew();
        await PrepareTargetAsync(dsn, "utf8mb4", null, options, cancellationToken).ConfigureAwait(false);
        var loaded = await RunSequentialAsync(dsn, script, cancellationToken).ConfigureAwait(false);
        return new RestoreSummary(dsn.Database, loaded, 0, clock.Elapsed);
    }

    /// <summary>Creates the database when missing (and allowed) and refuses one that already has tables unless forced.</summary>
    internal static async Task PrepareTargetAsync(MySqlDsn dsn, string charset, string? collation, RestoreOptions options, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(dsn.Database))
        {
            throw new DatabaseException("the target DSN names no database; add /DATABASE to it.");
        }

        await using var server = await Connections.OpenAsync(dsn, ct, withDatabase: false).ConfigureAwait(false);
        try
        {
            var exists = await Connections.ScalarAsync<long>(server, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", ct, ("@db", dsn.Database))
                .ConfigureAwait(false);
            if (exists == 0)
            {
                if (!options.CreateDatabase)
                {
                    throw new DatabaseException($"database '{dsn.Database}' does not exist on the target server; create it first.");
                }

                var create = $"CREATE DATABASE {SqlText.Identifier(dsn.Database)} CHARACTER SET {charset}" + (collation is null ? "" : $" COLLATE {collation}");
                await Connections.ExecuteAsync(server, create, ct).ConfigureAwait(false);
                return;
            }

            var names = new List<string>();
            await using (var cmd = new MySqlCommand("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @db ORDER BY TABLE_NAME LIMIT 6", server))
            {
                cmd.Parameters.AddWithValue("@db", dsn.Database);
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    names.Add(reader.GetString(0));
                }
            }

            if (names.Count > 0 && !options.Force)
            {
                var list = string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", ..." : "");
                throw new DatabaseException(
                    $"database '{dsn.Database}' already has tables ({list}); restore into an empty database, or use --force to replace the dumped tables.");
            }
        }
        catch (MySqlException ex)
        {
            throw MySqlErrors.Describe(ex, dsn, "preparing the target database");
        }
    }

    internal static async Task<List<TableSummary>> LoadTablesAsync(MySqlDsn dsn, IReadOnlyList<Section> sections, RestoreOptions options, CancellationToken ct)
    {
        // A table's first stream creates it; its key ranges (if split) are queued once it is loaded.
        var work = Channel.CreateUnbounded<(Section Section, int Part)>();
        var pending = sections.Count;
        foreach (var section in sections.OrderByDescending(s => s.Parts.Count))
        {
            work.Writer.TryWrite((section, -1));
        }

        if (pending == 0)
        {
            work.Writer.TryComplete();
        }

        var progress = sections.ToDictionary(s => s.Table, s => (Left: 1 + s.Parts.Count, Rows: 0L), StringComparer.Ordinal);
        var done = new ConcurrentDictionary<string, TableSummary>(StringComparer.Ordinal);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Math.Max(1, Math.Min(options.Parallelism, sections.Sum(s => 1 + s.Parts.Count)));
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            if (pending == 0)
            {
                return;
            }

            await using var connection = await Connections.OpenAsync(dsn, failed.Token).ConfigureAwait(false);
            await foreach (var (section, part) in work.Reader.ReadAllAsync(failed.Token).ConfigureAwait(false))
            {
                try
                {
                    await using var stream = await (part < 0 ? section.Open : section.Parts[part])(failed.Token).ConfigureAwait(false);
                    var rows = await ScriptRunner.RunAsync(connection, stream, failed.Token).ConfigureAwait(false);
                    TableSummary? summary = null;
                    lock (progress)
                    {
                        var (left, sum) = progress[section.Table];
                        progress[section.Table] = (left - 1, sum + rows);
                        if (left == 1)
                        {
                            summary = new TableSummary(section.Table, DumpFileNames.ForTable(section.Table), "", sum + rows, 0);
                        }
                    }

                    if (part < 0)
                    {
                        Interlocked.Add(ref pending, section.Parts.Count);
                        for (var i = 0; i < section.Parts.Count; i++)
                        {
                            work.Writer.TryWrite((section, i));
                        }
                    }

                    if (summary is not null)
                    {
                        done[section.Table] = summary;
                        options.OnTableDone?.Invoke(summary);
                    }

                    if (Interlocked.Decrement(ref pending) == 0)
                    {
                        work.Writer.TryComplete();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw ex is MySqlException or DatabaseException ? MySqlErrors.Describe(ex, dsn, "loading table " + SqlText.Identifier(section.Table)) : ex;
                }
            }
        }, failed.Token)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var cause = tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException)
                        ?? new DatabaseException("the load was interrupted.");
            var complete = sections.Where(s => done.ContainsKey(s.Table)).Select(s => s.Table).ToList();
            var incomplete = sections.Where(s => !done.ContainsKey(s.Table)).Select(s => s.Table).ToList();
            throw new RestoreException(
                $"{cause.Message} The restore stopped: {complete.Count} of {sections.Count} tables are complete" +
                (complete.Count > 0 ? $" ({Shorten(complete)})" : "") + $"; not complete: {Shorten(incomplete)}. Fix the cause and restore again with --force.",
                complete, incomplete, cause);
        }

        return sections.Select(s => done[s.Table]).ToList();
    }

    private static string Shorten(List<string> names) => string.Join(", ", names.Take(10)) + (names.Count > 10 ? $" and {names.Count - 10} more" : "");

    private static async Task<int> RunObjectsAsync(MySqlDsn dsn, Stream script, List<TableSummary> tables, CancellationToken ct)
    {
        await using var connection = await Connections.OpenAsync(dsn, ct).ConfigureAwait(false);
        try
        {
            await ScriptRunner.RunAsync(connection, script, ct).ConfigureAwait(false);
            return await Connections.ScalarAsync<int>(connection,
                "SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()) + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE())",
                ct).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            var cause = MySqlErrors.Describe(ex, dsn, "creating views and triggers");
            throw new RestoreException(cause.Message + $" All {tables.Count} tables are complete; views and triggers are not.", tables.Select(t => t.Name).ToList(), [], cause);
        }
    }

    private static async Task<List<TableSummary>> RunSequentialAsync(MySqlDsn dsn, Stream script, CancellationToken ct)
    {
        await using var connection = await Connections.OpenAsync(dsn, ct).ConfigureAwait(false);
        try
        {
            var rows = await ScriptRunner.RunAsync(connection, script, ct).ConfigureAwait(false);
            return [new TableSummary("(script)", "", "", rows, 0)];
        }
        catch (MySqlException ex)
        {
            throw MySqlErrors.Describe(ex, dsn, "loading the script");
        }
    }

    /// <summary>Offsets of Cellar's section markers (<c>-- cellar:table NAME</c>, <c>-- cellar:objects</c>) at line starts.</summary>
    private static async Task<List<(long Offset, string Kind, string Name)>> FindMarkersAsync(string path, CancellationToken ct)
    {
        var result = new List<(long, string, string)>();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 20];
        long bufferStart = 0;
        var filled = 0;
        while (true)
        {
            var read = await file.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            filled += read;
            var span = buffer.AsSpan(0, filled);
            var searched = 0;
            while (true)
            {
                var i = span[searched..].IndexOf(MarkerPrefix);
                if (i < 0)
                {
                    break;
                }

                var at = searched + i + 1;
                var nl = span[at..].IndexOf((byte)'\n');
                if (nl < 0)
                {
                    if (read == 0)
                    {
                        nl = span.Length - at;
                    }
                    else
                    {
                        searched = at - 1;
                        goto more;
                    }
                }

                var line = Encoding.UTF8.GetString(span.Slice(at + 11, nl - 11)).Trim();
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var kind = space < 0 ? line : line[..space];
                if (kind is "table" or "objects")
                {
                    result.Add((bufferStart + at, kind, space < 0 ? "" : line[(space + 1)..]));
                }

                searched = at + nl;
            }

            searched = Math.Max(searched, Math.Max(0, filled - MarkerPrefix.Length));
        more:
            if (read == 0)
            {
                break;
            }

            // Keep the unsearched tail (a marker may straddle the boundary).
            var keep = filled - searched;
            if (keep >= buffer.Length / 2)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            Buffer.BlockCopy(buffer, searched, buffer, 0, keep);
            bufferStart += searched;
            filled = keep;
        }

        // A script that starts with a marker has no leading newline before it.
        if (filled >= 0)
        {
            var head = new byte[MarkerPrefix.Length - 1];
            file.Position = 0;
            var n = await file.ReadAsync(head, ct).ConfigureAwait(false);
            if (n == head.Length && head.AsSpan().SequenceEqual(MarkerPrefix.AsSpan(1)))
            {
                throw new FormatException("a Cellar dump starts with its header comment; this file looks cut.");
            }
        }

        return result;
    }

    internal sealed record Section(string Table, Func<CancellationToken, ValueTask<Stream>> Open)
    {
        /// <summary>The key ranges after the first of a split table, loaded (in any order) after <see cref="Open"/>'s stream.</summary>
        public IReadOnlyList<Func<CancellationToken, ValueTask<Stream>>> Parts { get; init; } = [];
    }
}
