using System.Diagnostics;
using Cellar.Databases.MySql.Internal;

namespace Cellar.Databases.MySql;

/// <summary>Copies one database into another (same server or not) with the dump's consistency, streaming without a temporary file.</summary>
public static class MySqlCopier
{
    public static async Task<CopySummary> CopyAsync(
        MySqlDsn source, MySqlDsn target, DumpOptions? dumpOptions = null, RestoreOptions? restoreOptions = null, CancellationToken cancellationToken = default)
    {
        dumpOptions ??= new DumpOptions();
        restoreOptions ??= new RestoreOptions();
        if (source.IsSameDatabase(target))
        {
            throw new DatabaseException($"the source and target are the same database ({source}); copy into another database.");
        }

        var clock = Stopwatch.StartNew();
        string charset = "utf8mb4", collation = "utf8mb4_bin";
        await using (var probe = await Connections.OpenAsync(source, cancellationToken).ConfigureAwait(false))
        {
            await using var cmd = new MySqlConnector.MySqlCommand(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()", probe);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (charset, collation) = (reader.GetString(0), reader.GetString(1));
            }
        }

        await MySqlLoader.PrepareTargetAsync(target, charset, collation, restoreOptions, cancellationToken).ConfigureAwait(false);
        var sink = new LoadingSink(target, restoreOptions, cancellationToken);
        DumpSummary dump;
        try
        {
            // The loading sink loads each stream as a whole table: no key ranges.
            dump = await MySqlDumper.DumpAsync(source, sink, dumpOptions with { Parallelism = Math.Min(dumpOptions.Parallelism, restoreOptions.Parallelism), ChunkRows = 0 }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception) when (sink.Loads.FirstOrDefault(t => t.IsFaulted) is { } failedLoad)
        {
            // The target refused something: that is the cause, not the broken pipe the dumper saw.
            throw Incomplete(sink, failedLoad.Exception!.InnerException!);
        }

        try
        {
            await Task.WhenAll(sink.Loads).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Incomplete(sink, ex);
        }

        var tables = dump.Tables.Select(t => sink.LoadsByTable[t.Name].Result).ToList();
        sink.Objects.Position = 0;
        await using (var connection = await Connections.OpenAsync(target, cancellationToken).ConfigureAwait(false))
        {
            await ScriptRunner.RunAsync(connection, sink.Objects, cancellationToken).ConfigureAwait(false);
        }

        return new CopySummary(dump, new RestoreSummary(target.Database, tables, dump.Views + dump.Triggers, clock.Elapsed));
    }

    private static RestoreException Incomplete(LoadingSink sink, Exception cause)
    {
        var complete = sink.LoadsByTable.Where(p => p.Value.IsCompletedSuccessfully).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var incomplete = sink.LoadsByTable.Where(p => !p.Value.IsCompletedSuccessfully).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return new RestoreException(
            $"{cause.Message} The copy stopped: complete tables: {(complete.Count == 0 ? "none" : string.Join(", ", complete))}; not complete: {string.Join(", ", incomplete)}.",
            complete, incomplete, cause);
    }
}
