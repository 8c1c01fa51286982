using Cellar.Repository.Model;
using Cellar.Repository.Restoring;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>Reading one file of a snapshot as a stream (the SQL dump fed to the database loader, a restore command's input).</summary>
public sealed class FileContentStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_streamed_from_a_restic_repository_reads_each_pack_range_once_and_gives_the_file_back()
    {
        using var temp = new TempDirectory("cellar-stream");
        var (restic, snapshot, expected) = await BackUpOneFileAsync(temp, 24 * 1024 * 1024);
        var backend = new CountingBackend(new LocalBackend(restic.Repository));
        await using var repository = await ResticRepository.OpenAsync(backend, restic.Password, Ct);
        var node = await FindAsync(repository, snapshot, "big.bin");
        backend.PackReads.Clear();

        await using var stream = new Restorer(repository).OpenFile(node);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 100_000, Ct);

        copy.ToArray().AsSpan().SequenceEqual(expected).ShouldBeTrue("the streamed content differs from the file");
        var reads = backend.PackReads.ToList();
        node.Content!.Count.ShouldBeGreaterThan(8);
        reads.Count.ShouldBeLessThan(node.Content.Count, "ranges of several blobs, not one request per blob");
        foreach (var pack in reads.GroupBy(r => r.Pack))
        {
            // Ranges are read a few at a time, so the order the requests arrive in is not fixed; none overlaps another.
            var ranges = pack.OrderBy(r => r.Offset).ToList();
            for (var i = 1; i < ranges.Count; i++)
            {
                ranges[i].Offset.ShouldBeGreaterThanOrEqualTo(ranges[i - 1].Offset + ranges[i - 1].Length, $"pack {pack.Key}: no byte is read twice");
            }
        }
    }

    [Fact]
    public async Task Reading_a_streamed_file_synchronously_is_refused_rather_than_blocking_on_the_repository()
    {
        using var temp = new TempDirectory("cellar-stream");
        var (restic, snapshot, _) = await BackUpOneFileAsync(temp, 100_000);
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct);
        var node = await FindAsync(repository, snapshot, "big.bin");

        await using var stream = new Restorer(repository).OpenFile(node);

        Should.Throw<NotSupportedException>(() => stream.ReadByte());
    }

    [Fact]
    public async Task A_blob_missing_from_the_index_fails_the_read_that_reaches_it_after_the_content_before_it()
    {
        using var temp = new TempDirectory("cellar-stream");
        var (restic, snapshot, expected) = await BackUpOneFileAsync(temp, 3 * 1024 * 1024);
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct);
        var node = await FindAsync(repository, snapshot, "big.bin");
        var content = node.Content!.Append(Id.Hash([1, 2, 3])).ToList();

        await using var stream = new Restorer(repository).OpenContent(content);
        var buffer = new byte[expected.Length];
        await stream.ReadExactlyAsync(buffer, Ct);

        buffer.AsSpan().SequenceEqual(expected).ShouldBeTrue();
        var ex = await Should.ThrowAsync<RepositoryCorruptException>(async () => await stream.ReadExactlyAsync(new byte[10], Ct));
        ex.Message.ShouldContain("is not in the index");
    }

    private static async Task<(ResticRunner Restic, string Snapshot, byte[] Content)> BackUpOneFileAsync(TempDirectory temp, int size)
    {
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        var content = new byte[size];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), content, Ct);
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        return (restic, snapshot, content);
    }

    private static async Task<Node> FindAsync(ResticRepository repository, string snapshot, string name)
    {
        var found = await repository.FindSnapshotAsync(snapshot, Ct);
        var tree = await repository.LoadTreeAsync(found.Tree!.Value, Ct);
        return tree.Find(System.Text.Encoding.UTF8.GetBytes(name)) ?? throw new InvalidOperationException($"{name} is not in the snapshot");
    }
}
