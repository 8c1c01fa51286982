namespace Cellar.Databases;

/// <summary>Where a per-table dump goes: one named stream per table plus a header and the views/triggers stream.</summary>
public interface IDumpSink
{
    /// <summary>Opens a new writable stream for <paramref name="name"/> (the engine names them); the dumper disposes it when done. Called concurrently for different names.</summary>
    ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken);
}
