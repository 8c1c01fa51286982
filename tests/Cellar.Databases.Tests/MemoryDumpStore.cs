using System.Collections.Concurrent;

namespace Cellar.Databases.Tests;

/// <summary>A dump kept in memory, standing in for a snapshot: a sink and a source that is not a folder.</summary>
internal sealed class MemoryDumpStore : IDumpSink, IDumpSource
{
    private readonly ConcurrentDictionary<string, byte[]> _streams = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _streams.Keys.ToList();

    public ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken) =>
        _streams.TryGetValue(name, out var bytes)
            ? ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : ValueTask.FromResult<Stream>(new CapturingStream(this, name));

    private sealed class CapturingStream(MemoryDumpStore store, string name) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                store._streams[name] = ToArray();
            }

            base.Dispose(disposing);
        }
    }
}
