using Cellar.Repository.Platform;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Testing;

public sealed class TrickyTreeTests
{
    [Fact]
    public async Task A_tricky_tree_backed_up_and_restored_by_restic_compares_equal_to_its_source()
    {
        using var temp = new TempDirectory("cellar-tricky");
        var source = temp.Combine("src");
        var summary = TrickyTree.Generate(source, new TrickyTreeOptions { MaxFileSize = 3 * 1024 * 1024, SmallFiles = 20, NonUtf8SymlinkTargets = false });
        summary.Files.ShouldBeGreaterThan(40);
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: TestContext.Current.CancellationToken);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        await restic.RestoreAsync(snapshot, temp.Combine("restored"), cancellationToken: TestContext.Current.CancellationToken);

        TreeComparer.AssertEqual(source, temp.Combine("restored"));
        (await restic.SnapshotsAsync(TestContext.Current.CancellationToken)).Single().Id.ShouldBe(snapshot);
    }

    [Fact]
    public void The_comparer_names_every_kind_of_difference()
    {
        using var temp = new TempDirectory("cellar-compare");
        var a = temp.Combine("a");
        var b = temp.Combine("b");
        TrickyTree.Generate(a, new TrickyTreeOptions { MaxFileSize = 100_000, SmallFiles = 2, Sparse = false });
        TrickyTree.Generate(b, new TrickyTreeOptions { MaxFileSize = 100_000, SmallFiles = 2, Sparse = false });
        TreeComparer.Compare(a, b).ShouldBeEmpty();

        File.AppendAllText(Path.Combine(b, "plain", "size-100.bin"), "x");
        File.Delete(Path.Combine(b, "links", "hardlink-same-dir"));
        File.Copy(Path.Combine(b, "links", "original"), Path.Combine(b, "links", "hardlink-same-dir"));
        Posix.ChmodAt(FileDescriptor.CurrentDirectory, RawPath.FromString(Path.Combine(b, "modes", "setuid")), FileModes.PublicDirectory);
        Posix.SetTimesAt(FileDescriptor.CurrentDirectory, RawPath.FromString(Path.Combine(b, "empty")), null, new PosixTime(1, 2));
        File.Delete(Path.Combine(b, "links", "dangling"));
        Posix.SymlinkAt("elsewhere", FileDescriptor.CurrentDirectory, RawPath.FromString(Path.Combine(b, "links", "dangling")));
        Directory.CreateDirectory(Path.Combine(b, "extra"));

        var differences = TreeComparer.Compare(a, b, new TreeComparisonOptions { ModifyTimes = true });

        differences.ShouldContain(d => d.StartsWith("plain/size-100.bin: size", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith("links/hardlink-same-dir: hard-linked", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith("modes/setuid: mode 4755 expected, found 0755", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith("empty: mtime", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith("links/dangling: symlink target 'does/not/exist'", StringComparison.Ordinal));
        differences.ShouldContain("extra: unexpected (Directory)");
    }
}
