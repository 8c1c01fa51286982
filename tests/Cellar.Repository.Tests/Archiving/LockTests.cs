using Cellar.Repository.Json;
using Cellar.Repository.Locking;

namespace Cellar.Repository.Tests.Archiving;

public sealed class LockTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restic_refuses_to_back_up_while_Cellar_holds_an_exclusive_lock_and_proceeds_after()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "f"), "x", Token);
        await using (var repository = await repo.OpenAsync())
        {
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, Token);
            var (exit, _, error) = await repo.Restic.TryRunAsync(["backup", "--no-cache", source], cancellationToken: Token);
            exit.ShouldNotBe(0);
            error.ShouldContain("locked");
        }

        repo.CountFiles("locks").ShouldBe(0);
        await repo.Restic.RunAsync(["backup", source], cancellationToken: Token);
    }

    [Fact]
    public async Task Shared_locks_coexist_and_an_exclusive_one_is_refused_meanwhile()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        await using var repository = await repo.OpenAsync();
        await using var first = await RepositoryLock.AcquireAsync(repository, exclusive: false, Token);
        await using var second = await RepositoryLock.AcquireAsync(repository, exclusive: false, Token);

        var ex = await Should.ThrowAsync<RepositoryLockedException>(() => RepositoryLock.AcquireAsync(repository, exclusive: true, Token));

        ex.Holder.Exclusive.ShouldBeFalse();
        ex.Holder.Pid.ShouldBe(Environment.ProcessId);
        repo.CountFiles("locks").ShouldBe(2);
    }

    [Fact]
    public async Task Lock_of_a_dead_process_on_this_host_is_stale_and_ignored()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        await using var repository = await repo.OpenAsync();
        var dead = new LockRecord(GoTime.FromDateTimeOffset(DateTimeOffset.Now), true, HostIdentity.Hostname, "someone", int.MaxValue - 1, 0, 0);
        await repository.SaveUnpackedAsync(Storage.FileType.Lock, dead.ToJson(), Token);
        var foreign = new LockRecord(GoTime.FromDateTimeOffset(DateTimeOffset.Now.AddHours(-1)), true, "elsewhere", "someone", 1, 0, 0);
        await repository.SaveUnpackedAsync(Storage.FileType.Lock, foreign.ToJson(), Token);

        await using var acquired = await RepositoryLock.AcquireAsync(repository, exclusive: true, Token);

        dead.IsStale(DateTimeOffset.Now, HostIdentity.Hostname).ShouldBeTrue();
        foreign.IsStale(DateTimeOffset.Now, HostIdentity.Hostname).ShouldBeTrue();
        new LockRecord(GoTime.FromDateTimeOffset(DateTimeOffset.Now), true, "elsewhere", "x", 1, 0, 0).IsStale(DateTimeOffset.Now, HostIdentity.Hostname).ShouldBeFalse();
    }

    [Fact]
    public void Lock_json_has_restic_field_names_and_order()
    {
        var record = new LockRecord(GoTime.FromUnix(1700000000, 5, 0), false, "host", "user", 42, 1000, 0);
        System.Text.Encoding.UTF8.GetString(record.ToJson()).ShouldBe(
            "{\"time\":\"2023-11-14T22:13:20.000000005Z\",\"exclusive\":false,\"hostname\":\"host\",\"username\":\"user\",\"pid\":42,\"uid\":1000}");
        LockRecord.Parse(record.ToJson()).ShouldBe(record);
    }

    [Fact]
    public async Task A_repository_locked_once_holds_its_lock_until_disposed_and_operations_reuse_it()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        await using (var repository = await repo.OpenAsync())
        {
            await repository.LockAsync(LockMode.Shared, Token);
            repository.HeldLock.ShouldBe(LockMode.Shared);
            repo.CountFiles("locks").ShouldBe(1);

            await using (await RepositoryLock.EnsureAsync(repository, LockMode.Shared, Token))
            {
                repo.CountFiles("locks").ShouldBe(1, "a shared need is met by the lock held");
            }

            // A stronger need is met beside it: our own shared lock does not conflict with us.
            await using (await RepositoryLock.EnsureAsync(repository, LockMode.Exclusive, Token))
            {
                repo.CountFiles("locks").ShouldBe(2);
                await using var other = await repo.OpenAsync();
                await Should.ThrowAsync<RepositoryLockedException>(() => RepositoryLock.AcquireAsync(other, exclusive: false, Token));
            }

            repo.CountFiles("locks").ShouldBe(1);
        }

        repo.CountFiles("locks").ShouldBe(0, "disposing the repository removes its lock");
    }

    [Fact]
    public async Task Restic_refuses_prune_while_a_repository_holds_a_shared_lock_and_an_exclusive_one_is_refused_by_another_holder()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        await using var holder = await repo.OpenAsync();
        await holder.LockAsync(LockMode.Shared, Token);
        var (exit, _, error) = await repo.Restic.TryRunAsync(["prune", "--no-cache"], cancellationToken: Token);
        exit.ShouldNotBe(0);
        error.ShouldContain("locked");

        await using var second = await repo.OpenAsync();
        var refused = await Should.ThrowAsync<RepositoryLockedException>(() => second.LockAsync(LockMode.Exclusive, Token));
        refused.Holder.Pid.ShouldBe(Environment.ProcessId);
        second.HeldLock.ShouldBe(LockMode.None);
    }
}
