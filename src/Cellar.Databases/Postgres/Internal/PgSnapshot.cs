using System.Diagnostics;

namespace Cellar.Databases.Postgres.Internal;

/// <summary>
/// A PostgreSQL snapshot exported and held: one <c>psql</c> session keeps a REPEATABLE READ, READ
/// ONLY transaction open after <c>pg_export_snapshot()</c>, so <c>pg_dump --snapshot=ID</c> (and
/// its parallel workers) reads the database as it was when the snapshot was taken, however late it
/// runs. Disposing ends the transaction and the session.
/// </summary>
internal sealed class PgSnapshot : IAsyncDisposable
{
    private readonly Process _psql;

    private PgSnapshot(Process psql, string id)
    {
        _psql = psql;
        Id = id;
    }

    /// <summary>The exported snapshot's name, for <c>pg_dump --snapshot</c>.</summary>
    public string Id { get; }

    public static async Task<PgSnapshot> ExportAsync(PostgresDsn dsn, string doing, CancellationToken ct)
    {
        var psql = await PgTools.RequireAsync("psql", 0, ct).ConfigureAwait(false);
        var psi = PgTools.StartInfo(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], dsn, null);
        psi.RedirectStandardInput = true;
        var process = Process.Start(psi) ?? throw new DatabaseException($"{doing}: could not start {psql}.");
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.StandardInput.WriteAsync("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSELECT pg_export_snapshot();\n".AsMemory(), ct).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(ct).ConfigureAwait(false);
            var line = await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line))
            {
                process.StandardInput.Close();
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
                throw PgTools.Describe(await error.ConfigureAwait(false), dsn, doing, "psql", process.ExitCode);
            }

            return new PgSnapshot(process, line.Trim());
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _psql.StandardInput.WriteAsync("COMMIT;\n".AsMemory()).ConfigureAwait(false);
            _psql.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _psql.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            Kill(_psql);
        }
        finally
        {
            _psql.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
