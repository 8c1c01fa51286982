namespace Cellar.Databases.Internal;

/// <summary>A held dump made of two steps: reading it from the held moment, and releasing that moment.</summary>
internal sealed class HeldDump(Func<CancellationToken, Task<DumpSummary>> complete, Func<ValueTask> release) : IHeldDump
{
    private int _completed;
    private int _released;

    public Task<DumpSummary> CompleteAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _completed, 1) == 0 ? complete(cancellationToken) : throw new InvalidOperationException("A held dump is completed once.");

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}
