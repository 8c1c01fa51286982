namespace Cellar.MySql;

/// <summary>Where a per-table dump goes: one named stream per table plus a header and the views/triggers stream.</summary>
public interface IDumpSink
{
    /// <summary>Opens a new writable stream for <paramref name="name"/> (see <see cref="DumpFileNames"/>); the dumper disposes it when done. Called concurrently for different names.</summary>
    ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken);
}
