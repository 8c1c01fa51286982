using Cellar.Repository.Platform;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Platform;

public sealed class PosixTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-posix");
    private readonly FileDescriptor _dir;

    public PosixTests()
    {
        _dir = Posix.Open(_temp.Path, OpenFlags.ReadOnly | OpenFlags.Directory);
    }

    public void Dispose()
    {
        _dir.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Non_utf8_names_are_created_listed_and_stat_ed_as_raw_bytes()
    {
        var name = new RawPath([0x66, 0xFF, 0xFE, 0x00 + 0x41]);
        using (Posix.OpenAt(_dir, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, FileModes.PublicFile))
        {
        }

        var entries = Posix.ReadDirectory(_dir);
        entries.Count.ShouldBe(1);
        entries[0].Name.ToArray().ShouldBe(name.ToArray());
        entries[0].Kind.ShouldBe(FileKind.Regular);
        entries[0].Name.ToString().ShouldBe("f\\xff\\xfeA");
        Posix.StatAt(_dir, name).Inode.ShouldBe(entries[0].Inode);
    }

    [Fact]
    public void Times_are_set_and_read_to_the_nanosecond_on_files_and_symlinks()
    {
        using (Posix.OpenAt(_dir, "f", OpenFlags.WriteOnly | OpenFlags.Create, FileModes.PublicFile))
        {
        }

        Posix.SymlinkAt("f", _dir, "l");
        var mtime = new PosixTime(1_600_000_000, 123_456_789);
        var atime = new PosixTime(1_600_000_100, 987_654_321);
        Posix.SetTimesAt(_dir, "f", atime, mtime);
        Posix.SetTimesAt(_dir, "l", atime, new PosixTime(1_500_000_000, 1));

        var file = Posix.StatAt(_dir, "f");
        file.ModifyTime.ShouldBe(mtime);
        file.AccessTime.ShouldBe(atime);
        Posix.StatAt(_dir, "l").ModifyTime.ShouldBe(new PosixTime(1_500_000_000, 1));
        Posix.StatAt(_dir, "l", followSymlinks: true).ModifyTime.ShouldBe(mtime);
    }

    [Fact]
    public void Symlink_targets_that_are_not_utf8_read_back_byte_for_byte()
    {
        var target = new RawPath([0x74, 0xFF, 0x2F, 0xE9]);
        Posix.SymlinkAt(target, _dir, "link");

        Posix.ReadLinkAt(_dir, "link").ToArray().ShouldBe(target.ToArray());
        Posix.StatAt(_dir, "link").Kind.ShouldBe(FileKind.Symlink);
    }

    [Fact]
    public void Opening_a_symlink_as_a_directory_with_NoFollow_fails()
    {
        Posix.MakeDirectoryAt(_dir, "real", FileModes.PublicDirectory);
        Posix.SymlinkAt("real", _dir, "link");

        var error = Should.Throw<PosixException>(() => Posix.OpenDirectoryAt(_dir, "link"));

        error.Errno.ShouldBeOneOf(Errno.ELOOP, Errno.ENOTDIR);
        error.Message.ShouldContain("link");
        using var real = Posix.OpenDirectoryAt(_dir, "real");
        Posix.Stat(real).IsDirectory.ShouldBeTrue();
    }

    [Fact]
    public void Mode_keeps_setuid_setgid_and_sticky_bits()
    {
        using var fd = Posix.OpenAt(_dir, "m", OpenFlags.WriteOnly | OpenFlags.Create, FileModes.PrivateFile);
        Posix.Chmod(fd, 0xFED);

        Posix.Stat(fd).Permissions.ShouldBe(0xFEDu);
        Posix.ChmodAt(_dir, "m", 0x100);
        Posix.StatAt(_dir, "m").Permissions.ShouldBe(0x100u);
    }

    [Fact]
    public void Hard_links_share_the_inode_and_count_links()
    {
        using (Posix.OpenAt(_dir, "a", OpenFlags.WriteOnly | OpenFlags.Create, FileModes.PublicFile))
        {
        }

        Posix.LinkAt(_dir, "a", _dir, "b");

        var a = Posix.StatAt(_dir, "a");
        var b = Posix.StatAt(_dir, "b");
        b.Inode.ShouldBe(a.Inode);
        b.Device.ShouldBe(a.Device);
        a.Links.ShouldBe(2u);
    }

    [Fact]
    public void Fifos_are_created_without_opening_them()
    {
        Posix.MakeFifoAt(_dir, "pipe", 0x1A0);

        var status = Posix.StatAt(_dir, "pipe");
        status.Kind.ShouldBe(FileKind.Fifo);
        status.Permissions.ShouldBe(0x1A0u & ~Posix.Umask);
    }

    [Fact]
    public void Sparse_files_report_their_holes_and_data()
    {
        using var fd = Posix.OpenAt(_dir, "sparse", OpenFlags.ReadWrite | OpenFlags.Create, FileModes.PublicFile);
        Posix.PWrite(fd, new byte[] { 1, 2, 3 }, 4 * 1024 * 1024);
        Posix.Truncate(fd, 8 * 1024 * 1024);

        Posix.SeekData(fd, 0).ShouldBeGreaterThan(0);
        Posix.SeekHole(fd, 0).ShouldBe(0);
        Posix.SeekData(fd, 5 * 1024 * 1024).ShouldBe(-1);
        var back = new byte[3];
        Posix.PReadFully(fd, back, 4 * 1024 * 1024).ShouldBe(3);
        back.ShouldBe(new byte[] { 1, 2, 3 });
        Posix.Stat(fd).Size.ShouldBe(8 * 1024 * 1024);
        Posix.Stat(fd).Blocks.ShouldBeLessThan(8 * 1024 * 1024 / 512);
    }

    [Fact]
    public void Users_and_groups_are_named_from_their_ids()
    {
        UserDatabase.UserName(0).ShouldBe("root");
        UserDatabase.GroupName(0).ShouldBe("root");
        UserDatabase.UserName(3_999_999_999).ShouldBeNull();
    }

    [Fact]
    public void Errors_carry_errno_and_path()
    {
        var error = Should.Throw<PosixException>(() => Posix.Stat(RawPath.FromString(_temp.Combine("missing"))));

        error.Errno.ShouldBe(Errno.ENOENT);
        error.IsNotFound.ShouldBeTrue();
        error.Message.ShouldContain("missing");
        Posix.TryStat(RawPath.FromString(_temp.Combine("missing")), out _).ShouldBeFalse();
    }

    [Fact]
    public void Ownership_changes_on_a_symlink_itself_when_root()
    {
        Assert.SkipUnless(Posix.IsRoot, "changing owners needs root");
        Posix.SymlinkAt("/nowhere", _dir, "l");

        Posix.ChownAt(_dir, "l", 1234, 5678);

        var status = Posix.StatAt(_dir, "l");
        (status.Uid, status.Gid).ShouldBe((1234u, 5678u));
    }

    [Fact]
    public void Device_nodes_keep_major_and_minor_when_root()
    {
        Assert.SkipUnless(Posix.IsRoot, "device nodes need root");
        Posix.MakeNodeAt(_dir, "dev", FileModes.CharDevice | 0x1B6, DeviceNumber.Make(1, 3));

        var status = Posix.StatAt(_dir, "dev");
        status.Kind.ShouldBe(FileKind.CharDevice);
        DeviceNumber.Major(status.RDevice).ShouldBe(1u);
        DeviceNumber.Minor(status.RDevice).ShouldBe(3u);
    }
}
