using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Restoring;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>
/// The one metadata applier (tree restore and installation restore) and the installation restore's
/// single-file step (<see cref="Restorer.RestoreFileAsync"/>): never through a symlink in the target.
/// </summary>
public sealed class NodeMetadataTests
{
    private static readonly GoTime Then = GoTime.FromUnix(1_500_000_000, 123_456_789);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_folder_node_puts_its_mode_and_times_to_the_nanosecond_on_the_folder_at_its_path()
    {
        using var temp = new TempDirectory("cellar-meta");
        var folder = temp.Combine("folder");
        Directory.CreateDirectory(folder);

        NodeMetadata.ApplyToPath(folder, new Node { Type = NodeType.Dir, Mode = GoFileMode.Dir | 0x1ED /* 0755 */ | GoFileMode.Sticky, ModTime = Then, AccessTime = Then }, owners: false);

        var status = Posix.Stat(RawPath.FromString(folder));
        (status.Mode & 0xFFF).ShouldBe(0x3EDu); // 01755
        status.ModifyTime.ShouldBe(new PosixTime(1_500_000_000, 123_456_789));
    }

    [Fact]
    public void A_folder_node_is_not_put_through_a_symlink_at_its_path_and_the_links_target_keeps_its_times()
    {
        using var temp = new TempDirectory("cellar-meta");
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var before = Posix.Stat(RawPath.FromString(outside));
        var link = temp.Combine("link");
        File.CreateSymbolicLink(link, outside);

        var ex = Should.Throw<PosixException>(() => NodeMetadata.ApplyToPath(link, new Node { Type = NodeType.Dir, Mode = GoFileMode.Dir | 0x1FF, ModTime = Then, AccessTime = Then }, owners: false));

        ex.Errno.ShouldBeOneOf(Errno.ELOOP, Errno.ENOTDIR);
        var after = Posix.Stat(RawPath.FromString(outside));
        after.ModifyTime.ShouldBe(before.ModifyTime);
        after.Mode.ShouldBe(before.Mode);
    }

    [Fact]
    public void A_symlink_node_gets_its_times_on_the_link_itself_and_its_target_keeps_its_own()
    {
        using var temp = new TempDirectory("cellar-meta");
        var target = temp.Combine("target.txt");
        File.WriteAllText(target, "x");
        var before = Posix.Stat(RawPath.FromString(target));
        var link = temp.Combine("link");
        File.CreateSymbolicLink(link, target);

        NodeMetadata.ApplyToPath(link, new Node { Type = NodeType.Symlink, Mode = GoFileMode.Symlink | 0x1FF, ModTime = Then, AccessTime = Then }, owners: false);

        Posix.Stat(RawPath.FromString(link)).ModifyTime.ShouldBe(new PosixTime(1_500_000_000, 123_456_789));
        Posix.Stat(RawPath.FromString(target)).ModifyTime.ShouldBe(before.ModifyTime);
    }

    [Fact]
    public async Task Restoring_one_file_over_a_symlink_replaces_the_link_and_leaves_the_links_target_untouched()
    {
        using var temp = new TempDirectory("cellar-meta");
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        var content = new byte[300_000];
        new Random(3).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(source, "store.db"), content, Ct);
        Posix.ChmodAt(FileDescriptor.CurrentDirectory, RawPath.FromString(Path.Combine(source, "store.db")), 0x180);
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct);
        var tree = await repository.LoadTreeAsync((await repository.FindSnapshotAsync(snapshot, Ct)).Tree!.Value, Ct);
        var node = tree.Find("store.db"u8)!;
        var victim = temp.Combine("victim.txt");
        await File.WriteAllTextAsync(victim, "must stay", Ct);
        var place = temp.Combine("restored");
        Directory.CreateDirectory(place);
        var target = Path.Combine(place, "store.db");
        File.CreateSymbolicLink(target, victim);

        await new Restorer(repository).RestoreFileAsync(node, target, Ct);

        (await File.ReadAllTextAsync(victim, Ct)).ShouldBe("must stay");
        new FileInfo(target).LinkTarget.ShouldBeNull();
        (await File.ReadAllBytesAsync(target, Ct)).AsSpan().SequenceEqual(content).ShouldBeTrue();
        var status = Posix.Stat(RawPath.FromString(target));
        (status.Mode & 0xFFF).ShouldBe(0x180u);
        status.ModifyTime.ShouldBe(new PosixTime(node.ModTime.UnixSeconds, (uint)node.ModTime.Nanoseconds));
    }
}
