using System.Runtime.CompilerServices;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Tests.Backends;

public sealed class LimitedBackendTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Saves wait at a gate and count how many are inside at once; loads pass straight through.</summary>
    private sealed class GatedBackend : IBackend
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;

        public int MaxInside { get; private set; }

        public int Loads { get; private set; }

        public string Location => "gated:";

        public void Open() => _gate.SetResult();

        public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inside);
            MaxInside = Math.Max(MaxInside, now);
            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _inside);
        }

        public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
        {
            Loads++;
            return Task.FromResult(Array.Empty<byte>());
        }

        public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

        public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task No_more_saves_than_the_limit_run_at_once_and_loads_are_not_blocked_by_saves()
    {
        var inner = new GatedBackend();
        await using var backend = new LimitedBackend(inner, new BackendLimits(Saves: 2, Loads: 1, Metadata: 1));
        var saves = Enumerable.Range(0, 10).Select(i => backend.SaveAsync(new FileHandle(FileType.Pack, $"{i:x2}00"), new byte[] { 1 }, Cancel)).ToList();

        inner.MaxInside.ShouldBe(2);
        await backend.LoadAsync(new FileHandle(FileType.Pack, "0000"), 0, 0, Cancel);
        inner.Loads.ShouldBe(1);

        inner.Open();
        await Task.WhenAll(saves);
        inner.MaxInside.ShouldBe(2);
    }
}
