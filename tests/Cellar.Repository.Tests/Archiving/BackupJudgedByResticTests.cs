using System.Text.Json;
using Cellar.Repository.Archiving;
using Cellar.Repository.Packs;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Archiving;

/// <summary>What Cellar writes, judged by the real restic: check --read-data, restore, dedup.</summary>
public sealed class BackupJudgedByResticTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Init_makes_a_repository_restic_opens_and_checks()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var config = await repo.Restic.RunAsync(["cat", "config"], cancellationToken: Token);
        using var json = JsonDocument.Parse(config);
        json.RootElement.GetProperty("version").GetInt32().ShouldBe(2);
        var polynomial = Cellar.Repository.Chunking.Polynomial.Parse(json.RootElement.GetProperty("chunker_polynomial").GetString()!);
        polynomial.Degree.ShouldBe(53);
        polynomial.IsIrreducible().ShouldBeTrue();
        await repo.Restic.CheckAsync(cancellationToken: Token);
    }

    [Fact]
    public async Task Tricky_tree_backup_passes_restic_check_read_data_and_restic_restores_it_exactly()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        TrickyTree.Generate(source, new TrickyTreeOptions { NonUtf8SymlinkTargets = false });
        var warnings = new List<BackupWarning>();

        var result = await repo.BackupAsync(new BackupRequest { Paths = [source], Tags = ["tricky"] }, warnings: warnings);

        warnings.ShouldBeEmpty();
        await repo.Restic.CheckAsync(readData: true, Token);
        var target = repo.Directory.Combine("restored");
        await repo.Restic.RestoreAsync(result.SnapshotId.ToString(), target, cancellationToken: Token);
        TreeComparer.AssertEqual(source, target + source);
        var snapshots = await repo.Restic.SnapshotsAsync(Token);
        snapshots.ShouldHaveSingleItem().Id.ShouldBe(result.SnapshotId.ToString());
    }

    [Fact]
    public async Task Unchanged_rebackup_adds_no_packs_and_reads_no_file()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();

        // The snapshot records the metadata of every ancestor folder too; /tmp changes whenever
        // another test makes a file there, so the source sits where nothing else writes.
        var stable = Path.Combine(Directory.Exists("/var/tmp") ? "/var/tmp" : AppContext.BaseDirectory, "cellar-unchanged-" + Guid.NewGuid().ToString("n"));
        var source = Path.Combine(stable, "source");
        try
        {
            await AssertUnchangedRebackupAddsNothingAsync(repo, source);
        }
        finally
        {
            // Names that are not UTF-8 defeat Directory.Delete; rm takes raw bytes.
            await ExternalTool.RunAsync("rm", ["-rf", stable], cancellationToken: CancellationToken.None);
        }
    }

    private static async Task AssertUnchangedRebackupAddsNothingAsync(CellarRepositoryFixture repo, string source)
    {
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 3 * 1024 * 1024, Devices = false });
        var first = await repo.BackupAsync(new BackupRequest { Paths = [source] });
        var packs = repo.CountFiles("data");

        var second = await repo.BackupAsync(new BackupRequest { Paths = [source] });

        repo.CountFiles("data").ShouldBe(packs);
        second.PacksWritten.ShouldBe(0);
        second.Snapshot.Parent.ShouldBe(first.SnapshotId);
        second.Snapshot.Tree.ShouldBe(first.Snapshot.Tree);
        second.Statistics.FilesNew.ShouldBe(0);
        second.Statistics.FilesChanged.ShouldBe(0);
        second.Statistics.FilesUnmodified.ShouldBe(first.Statistics.FilesNew);
        await repo.Restic.CheckAsync(cancellationToken: Token);
    }

    [Fact]
    public async Task Same_file_backed_up_by_restic_then_cellar_adds_no_data_blobs()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync(byRestic: true);
        var source = repo.Directory.Combine("big");
        Directory.CreateDirectory(source);
        var content = new byte[20 * 1024 * 1024];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(source, "random.bin"), content, Token);
        await repo.Restic.BackupAsync([source], cancellationToken: Token);

        var result = await repo.BackupAsync(new BackupRequest { Paths = [source], Force = true });

        result.DataBlobsAdded.ShouldBe(0);
        result.Statistics.FilesNew.ShouldBe(1);
        await repo.Restic.CheckAsync(readData: true, Token);
    }

    [Fact]
    public async Task Same_file_backed_up_by_cellar_then_restic_adds_no_data_blobs()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("big");
        Directory.CreateDirectory(source);
        var content = new byte[20 * 1024 * 1024];
        new Random(8).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(source, "random.bin"), content, Token);
        var result = await repo.BackupAsync(new BackupRequest { Paths = [source] });

        // Each repository draws its own chunker polynomial, so the count varies from run to run
        // (about 13 here, 10 seen); the chunker's 8 MiB maximum makes 20 MiB at least 3 chunks.
        result.DataBlobsAdded.ShouldBeGreaterThanOrEqualTo(3);

        var output = await repo.Restic.RunAsync(["backup", "--json", "--force", source], cancellationToken: Token);

        var summary = output.Split('\n').Where(l => l.Contains("\"summary\"", StringComparison.Ordinal)).ShouldHaveSingleItem();
        using var json = JsonDocument.Parse(summary);
        json.RootElement.GetProperty("data_blobs").GetInt32().ShouldBe(0);
        await repo.Restic.CheckAsync(readData: true, Token);
    }

    [Fact]
    public async Task Two_backups_at_once_into_one_repository_both_succeed()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var a = repo.Directory.Combine("a");
        var b = repo.Directory.Combine("b");
        TrickyTree.Generate(a, new TrickyTreeOptions { Seed = 1, MaxFileSize = 4 * 1024 * 1024, Devices = false });
        TrickyTree.Generate(b, new TrickyTreeOptions { Seed = 2, MaxFileSize = 4 * 1024 * 1024, Devices = false });

        var results = await Task.WhenAll(
            repo.BackupAsync(new BackupRequest { Paths = [a] }),
            repo.BackupAsync(new BackupRequest { Paths = [b] }));

        results.Select(r => r.SnapshotId).Distinct().Count().ShouldBe(2);
        repo.CountFiles("locks").ShouldBe(0);
        await repo.Restic.CheckAsync(readData: true, Token);
        (await repo.Restic.SnapshotsAsync(Token)).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(BlobCompression.Off)]
    [InlineData(BlobCompression.Max)]
    public async Task Compression_modes_give_repositories_restic_reads(BlobCompression compression)
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "text.txt"), string.Concat(Enumerable.Repeat("compressible line\n", 100_000)), Token);

        var result = await repo.BackupAsync(new BackupRequest { Paths = [source] }, compression);

        if (compression == BlobCompression.Off)
        {
            result.DataAddedPacked.ShouldBeGreaterThan(100_000 * 18);
        }
        else
        {
            result.DataAddedPacked.ShouldBeLessThan(result.DataAdded / 10);
        }

        await repo.Restic.CheckAsync(readData: true, Token);
        var dumped = await repo.Restic.RunAsync(["dump", result.SnapshotId.ToString(), source + "/text.txt"], cancellationToken: Token);
        dumped.Length.ShouldBe(100_000 * 18);
    }

    [Fact]
    public async Task Version_1_repository_gets_uncompressed_blobs_restic_reads()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync(formatVersion: 1);
        var source = repo.Directory.Combine("source");
        TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 2 * 1024 * 1024, Devices = false, NonUtf8SymlinkTargets = false });

        var result = await repo.BackupAsync(new BackupRequest { Paths = [source] });

        result.DataAddedPacked.ShouldBeGreaterThan(result.DataAdded);
        await repo.Restic.CheckAsync(readData: true, Token);
    }

    [Fact]
    public async Task Virtual_files_are_stored_at_their_snapshot_paths()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "plain file", Token);
        var dump = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"INSERT INTO t VALUES ({i});\n"));

        var result = await repo.BackupAsync(new BackupRequest
        {
            Paths = [source],
            VirtualFiles =
            [
                new VirtualFile("/cellar/database/t.sql", _ => ValueTask.FromResult<Stream>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dump)))),
                VirtualFile.FromBytes("/cellar/manifest.json", "{\"cells\":\"4.4\"}"u8.ToArray()),
            ],
            Tags = ["cells"],
        });

        await repo.Restic.CheckAsync(readData: true, Token);
        (await repo.Restic.RunAsync(["dump", result.SnapshotId.ToString(), "/cellar/database/t.sql"], cancellationToken: Token)).ShouldBe(dump);
        (await repo.Restic.RunAsync(["dump", result.SnapshotId.ToString(), "/cellar/manifest.json"], cancellationToken: Token)).ShouldBe("{\"cells\":\"4.4\"}");
        (await repo.Restic.RunAsync(["dump", result.SnapshotId.ToString(), source + "/a.txt"], cancellationToken: Token)).ShouldBe("plain file");
    }

    [Fact]
    public async Task Excluded_paths_are_not_stored()
    {
        await using var repo = await CellarRepositoryFixture.CreateAsync();
        var source = repo.Directory.Combine("source");
        Directory.CreateDirectory(Path.Combine(source, "cache", "deep"));
        await File.WriteAllTextAsync(Path.Combine(source, "keep.txt"), "keep", Token);
        await File.WriteAllTextAsync(Path.Combine(source, "drop.tmp"), "drop", Token);
        await File.WriteAllTextAsync(Path.Combine(source, "cache", "deep", "x"), "drop", Token);

        var result = await repo.BackupAsync(new BackupRequest { Paths = [source], Excludes = [new ExcludePattern("*.tmp"), new ExcludePattern("cache")] });

        var listing = await repo.Restic.RunAsync(["ls", result.SnapshotId.ToString()], cancellationToken: Token);
        listing.ShouldContain(source + "/keep.txt");
        listing.ShouldNotContain("drop.tmp");
        listing.ShouldNotContain("/cache");
    }
}
