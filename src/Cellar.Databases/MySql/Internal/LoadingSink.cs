using System.Collections.Concurrent;

namespace Cellar.Databases.MySql.Internal;

/// <summary>A sink that loads each table stream into the target as it is written, through an in-memory pipe.</summary>
internal sealed class LoadingSink(MySqlDsn target, RestoreOptions options, CancellationToken ct) : IDumpSink
{
    private readonly ConcurrentDictionary<string, Task<TableSummary>> _loads = new(StringComparer.Ordinal);

    public MemoryStream Objects { get; } = new();

    public IEnumerable<Task<TableSummary>> Loads => _loads.Values;

    public IReadOnlyDictionary<string, Task<TableSummary>> LoadsByTable => _loads;

    public ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        if (name == DumpFileNames.Header)
        {
            return ValueTask.FromResult<Stream>(new MemoryStream());
        }

        if (name == DumpFileNames.Objects)
        {
            return ValueTask.FromResult<Stream>(new NonClosingStream(Objects));
        }

        var pipe = new MemoryPipe();
        var table = DumpFileNames.TableOf(name);
        _loads[table] = Task.Run(async () =>
        {
            try
            {
                await using var connection = await Connections.OpenAsync(target, ct).ConfigureAwait(false);
                await using var reader = pipe.Reader;
                var rows = await ScriptRunner.RunAsync(connection, reader, ct).ConfigureAwait(false);
                var summary = new TableSummary(table, name, "", rows, 0);
                options.OnTableDone?.Invoke(summary);
                return summary;
            }
            catch (Exception ex)
            {
                var described = ex is MySqlConnector.MySqlException or DatabaseException
                    ? MySqlErrors.Describe(ex, target, "loading table " + SqlText.Identifier(table))
                    : ex;
                pipe.Fail(described);
                throw described;
            }
        }, ct);
        return ValueTask.FromResult(pipe.Writer);
    }
}
