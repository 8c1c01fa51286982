using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

public sealed class CorruptBlobRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_damaged_blob_is_reported_with_its_files_and_everything_else_is_restored()
    {
        using var temp = new TempDirectory("cellar-corrupt");
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        var random = new Random(7);
        var damaged = new byte[3 * 1024 * 1024];
        random.NextBytes(damaged);
        File.WriteAllBytes(Path.Combine(source, "damaged.bin"), damaged);
        File.WriteAllBytes(Path.Combine(source, "same-content.bin"), damaged);
        for (var i = 0; i < 5; i++)
        {
            var data = new byte[100_000 + i];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"fine-{i}.bin"), data);
        }

        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        await using (var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct))
        {
            var tree = await repository.LoadTreeAsync((await repository.FindSnapshotAsync(snapshot, Ct)).Tree!.Value, Ct);
            var blobId = tree.Nodes.Single(n => n.Name == "damaged.bin").Content![0];
            repository.Index.TryLookup(blobId, BlobType.Data, out var packed).ShouldBeTrue();
            var packPath = Path.Combine(restic.Repository, "data", packed.PackId.ToString()[..2], packed.PackId.ToString());
            Cellar.Repository.Platform.Posix.ChmodAt(Cellar.Repository.Platform.FileDescriptor.CurrentDirectory, packPath, 0x180);
            await using var stream = new FileStream(packPath, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = packed.Offset + (packed.Length / 2);
            var middle = new byte[8];
            stream.ReadExactly(middle);
            stream.Position -= 8;
            stream.Write(middle.Select(b => (byte)(b ^ 0xFF)).ToArray());
        }

        var target = temp.Combine("target");
        var result = await RestoreHarness.RestoreAsync(restic.Repository, restic.Password, snapshot, target);

        result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal).ShouldBe(["/damaged.bin", "/same-content.bin"]);
        result.Errors.ShouldAllBe(e => e.Message.Contains("damaged"));
        TreeComparer.AssertEqual(source, target, new TreeComparisonOptions { Ignore = p => p is "damaged.bin" or "same-content.bin" });
        File.ReadAllBytes(Path.Combine(target, "damaged.bin")).Length.ShouldBe(damaged.Length);
    }
}
