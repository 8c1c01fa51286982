using Cellar.Repository.Storage;
using Shouldly;
using Xunit;

namespace Cellar.Testing;

/// <summary>
/// The behaviour every <see cref="IBackend"/> must show, in the spirit of restic's backend test
/// suite. A backend's test class derives from this and says how to make a fresh, empty backend;
/// every test here then runs against it.
/// </summary>
public abstract class BackendConformance
{
    /// <summary>A fresh backend over an empty repository location (created if needed).</summary>
    protected abstract Task<IBackend> CreateEmptyBackendAsync();

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected static string RandomName()
    {
        Span<byte> bytes = stackalloc byte[32];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(FileType.Key)]
    [InlineData(FileType.Lock)]
    [InlineData(FileType.Snapshot)]
    [InlineData(FileType.Index)]
    [InlineData(FileType.Pack)]
    public async Task Saved_file_loads_back_identical(FileType type)
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(type, RandomName());
        var data = RandomBytes(4321, 1);
        await backend.SaveAsync(handle, data, Cancel);
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4321)]
    [InlineData((3 * 1024 * 1024) + 17)]
    public async Task Pack_saved_from_a_local_file_loads_back_identical_and_saving_it_again_is_a_no_op(int length)
    {
        // Packs are assembled in temporary files and uploaded from there (BlobWriter, Pruner).
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var data = RandomBytes(length, 5);
        var path = Path.GetTempFileName();
        try
        {
            // Bytes after the given length are not part of the file.
            await File.WriteAllBytesAsync(path, [.. data, 1, 2, 3], Cancel);
            using var source = File.OpenHandle(path);
            await backend.SaveAsync(handle, source, length, Cancel);
            (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(data);
            await backend.SaveAsync(handle, source, length, Cancel);
            (await backend.StatAsync(handle, Cancel)).ShouldBe(length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Config_file_saves_loads_stats_and_lists()
    {
        await using var backend = await CreateEmptyBackendAsync();
        (await backend.StatAsync(FileHandle.Config, Cancel)).ShouldBeNull();
        var data = RandomBytes(155, 2);
        await backend.SaveAsync(FileHandle.Config, data, Cancel);
        (await backend.LoadAsync(FileHandle.Config, 0, 0, Cancel)).ShouldBe(data);
        (await backend.StatAsync(FileHandle.Config, Cancel)).ShouldBe(155);
        var listed = await ListAsync(backend, FileType.Config);
        listed.Count.ShouldBe(1);
        listed[0].Size.ShouldBe(155);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 100)]
    [InlineData(17, 1000)]
    [InlineData(3999, 1)]
    [InlineData(1, 3999)]
    public async Task Ranged_load_returns_exactly_the_range(int offset, int length)
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var data = RandomBytes(4000, 3);
        await backend.SaveAsync(handle, data, Cancel);
        var loaded = await backend.LoadAsync(handle, offset, length, Cancel);
        loaded.ShouldBe(data.AsSpan(offset, length).ToArray());
    }

    [Theory]
    [InlineData(0, 4000)]
    [InlineData(17, 1000)]
    [InlineData(3999, 1)]
    public async Task Read_into_a_buffer_fills_exactly_the_range(int offset, int length)
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var data = RandomBytes(4000, 3);
        await backend.SaveAsync(handle, data, Cancel);
        var buffer = new byte[length + 8];
        Array.Fill(buffer, (byte)0xA5);
        var read = await backend.ReadAsync(handle, offset, buffer.AsMemory(4, length), Cancel);
        read.ShouldBe(length);
        buffer.AsSpan(4, length).ToArray().ShouldBe(data.AsSpan(offset, length).ToArray());
        buffer.AsSpan(0, 4).ToArray().ShouldAllBe(b => b == 0xA5);
        buffer.AsSpan(4 + length).ToArray().ShouldAllBe(b => b == 0xA5);
    }

    [Fact]
    public async Task Read_into_a_buffer_past_the_end_fails_and_a_missing_file_is_not_found()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        await backend.SaveAsync(handle, RandomBytes(100, 5), Cancel);
        await Should.ThrowAsync<IOException>(async () => await backend.ReadAsync(handle, 90, new byte[20], Cancel));
        await Should.ThrowAsync<FileNotFoundException>(async () => await backend.ReadAsync(new FileHandle(FileType.Pack, RandomName()), 0, new byte[20], Cancel));
    }

    [Fact]
    public async Task Load_with_offset_and_no_length_reads_to_the_end()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var data = RandomBytes(3000, 4);
        await backend.SaveAsync(handle, data, Cancel);
        (await backend.LoadAsync(handle, 2500, 0, Cancel)).ShouldBe(data.AsSpan(2500).ToArray());
    }

    [Fact]
    public async Task Load_past_the_end_fails_instead_of_returning_short_data()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        await backend.SaveAsync(handle, RandomBytes(100, 5), Cancel);
        await Should.ThrowAsync<IOException>(() => backend.LoadAsync(handle, 90, 20, Cancel));
    }

    [Fact]
    public async Task Stat_gives_the_size_and_null_for_missing_files()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Snapshot, RandomName());
        (await backend.StatAsync(handle, Cancel)).ShouldBeNull();
        await backend.SaveAsync(handle, RandomBytes(777, 6), Cancel);
        (await backend.StatAsync(handle, Cancel)).ShouldBe(777);
    }

    [Fact]
    public async Task Loading_a_missing_file_throws_FileNotFoundException()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Index, RandomName());
        await Should.ThrowAsync<FileNotFoundException>(() => backend.LoadAsync(handle, 0, 0, Cancel));
    }

    [Fact]
    public async Task Empty_file_round_trips()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Lock, RandomName());
        await backend.SaveAsync(handle, ReadOnlyMemory<byte>.Empty, Cancel);
        (await backend.StatAsync(handle, Cancel)).ShouldBe(0);
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBeEmpty();
        (await ListAsync(backend, FileType.Lock)).ShouldBe([new RemoteFile(handle.Name, 0)]);
    }

    [Fact]
    public async Task Large_file_round_trips_and_loads_its_tail()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var data = RandomBytes(17 * 1024 * 1024 + 123, 7);
        await backend.SaveAsync(handle, data, Cancel);
        (await backend.StatAsync(handle, Cancel)).ShouldBe(data.Length);
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(data);
        (await backend.LoadAsync(handle, data.Length - 4096, 4096, Cancel)).ShouldBe(data.AsSpan(data.Length - 4096).ToArray());
    }

    [Fact]
    public async Task List_returns_every_file_of_a_type_and_only_that_type()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var packs = Enumerable.Range(0, 12).Select(_ => RandomName()).ToList();
        foreach (var (name, i) in packs.Select((n, i) => (n, i)))
        {
            await backend.SaveAsync(new FileHandle(FileType.Pack, name), RandomBytes(10 + i, i), Cancel);
        }

        var snapshot = RandomName();
        await backend.SaveAsync(new FileHandle(FileType.Snapshot, snapshot), RandomBytes(5, 99), Cancel);

        var listedPacks = await ListAsync(backend, FileType.Pack);
        listedPacks.Select(f => f.Name).Order(StringComparer.Ordinal).ShouldBe(packs.Order(StringComparer.Ordinal));
        listedPacks.Single(f => f.Name == packs[3]).Size.ShouldBe(13);
        (await ListAsync(backend, FileType.Snapshot)).ShouldBe([new RemoteFile(snapshot, 5)]);
        (await ListAsync(backend, FileType.Index)).ShouldBeEmpty();
        (await ListAsync(backend, FileType.Key)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Remove_deletes_the_file_and_tolerates_missing_files()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Snapshot, RandomName());
        await backend.SaveAsync(handle, RandomBytes(50, 8), Cancel);
        await backend.RemoveAsync(handle, Cancel);
        (await backend.StatAsync(handle, Cancel)).ShouldBeNull();
        (await ListAsync(backend, FileType.Snapshot)).ShouldBeEmpty();
        await backend.RemoveAsync(handle, Cancel);
        await backend.RemoveAsync(new FileHandle(FileType.Pack, RandomName()), Cancel);
    }

    [Fact]
    public async Task Saving_other_content_under_an_existing_name_is_refused_and_keeps_the_original()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Key, RandomName());
        var original = RandomBytes(300, 9);
        await backend.SaveAsync(handle, original, Cancel);
        await Should.ThrowAsync<IOException>(() => backend.SaveAsync(handle, RandomBytes(300, 10), Cancel));
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(original);
    }

    [Fact]
    public async Task Saving_from_a_slice_of_a_larger_buffer_stores_only_the_slice()
    {
        await using var backend = await CreateEmptyBackendAsync();
        var handle = new FileHandle(FileType.Pack, RandomName());
        var buffer = RandomBytes(1000, 11);
        await backend.SaveAsync(handle, buffer.AsMemory(100, 500), Cancel);
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(buffer.AsSpan(100, 500).ToArray());
    }

    protected static async Task<List<RemoteFile>> ListAsync(IBackend backend, FileType type)
    {
        var result = new List<RemoteFile>();
        await foreach (var file in backend.ListAsync(type, Cancel))
        {
            result.Add(file);
        }

        return result;
    }
}
