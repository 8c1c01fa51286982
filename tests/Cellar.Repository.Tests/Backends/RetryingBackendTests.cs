using Cellar.Repository.Storage;

namespace Cellar.Repository.Tests.Backends;

public sealed class RetryingBackendTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly List<string> _log = [];
    private readonly List<TimeSpan> _waits = [];

    private RetryingBackend Wrap(ScriptedBackend inner, int attempts = 4) =>
        new(inner, new RetryPolicy(attempts, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)), _log.Add, (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        });

    private static StorageException Transient() => new("server busy", isTransient: true);

    [Fact]
    public async Task Transient_failures_are_retried_with_growing_waits_and_logged()
    {
        var inner = new ScriptedBackend();
        var backend = Wrap(inner);
        var handle = new FileHandle(FileType.Snapshot, "ab01");
        await backend.SaveAsync(handle, new byte[] { 1 }, Cancel);
        inner.FailNext(Transient(), Transient(), Transient());

        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(new byte[] { 1 });

        inner.Calls.ShouldBe(1 + 4);
        _log.Count.ShouldBe(3);
        _log[0].ShouldContain("load snapshot/ab01 failed (attempt 1 of 4): server busy");
        _waits[1].ShouldBeGreaterThan(_waits[0]);
        _waits[2].ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(3.6)); // capped at MaxDelay (+20 % jitter)
    }

    [Fact]
    public async Task Gives_up_after_the_last_attempt_with_the_last_error()
    {
        var inner = new ScriptedBackend();
        var backend = Wrap(inner, attempts: 3);
        inner.FailNext(Transient(), Transient(), new StorageException("still busy", isTransient: true));
        var ex = await Should.ThrowAsync<StorageException>(() => backend.StatAsync(FileHandle.Config, Cancel));
        ex.Message.ShouldBe("still busy");
        inner.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task Permanent_errors_and_missing_files_are_not_retried()
    {
        var inner = new ScriptedBackend();
        var backend = Wrap(inner);
        inner.FailNext(new StorageException("access denied", isTransient: false));
        await Should.ThrowAsync<StorageException>(() => backend.StatAsync(FileHandle.Config, Cancel));
        await Should.ThrowAsync<FileNotFoundException>(() => backend.LoadAsync(new FileHandle(FileType.Index, "cd02"), 0, 0, Cancel));
        inner.Calls.ShouldBe(2);
        _log.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_listing_that_fails_midway_is_restarted_without_duplicates()
    {
        var inner = new ScriptedBackend();
        var backend = Wrap(inner);
        var names = Enumerable.Range(0, 5).Select(i => $"{i:x2}ff").ToList();
        foreach (var name in names)
        {
            await backend.SaveAsync(new FileHandle(FileType.Pack, name), new byte[] { 1 }, Cancel);
        }

        inner.ListFailAfter = 3;
        inner.FailNext(Transient());
        var listed = new List<string>();
        await foreach (var file in backend.ListAsync(FileType.Pack, Cancel))
        {
            listed.Add(file.Name);
        }

        listed.ShouldBe(names);
        _log.Count.ShouldBe(1);
    }
}
