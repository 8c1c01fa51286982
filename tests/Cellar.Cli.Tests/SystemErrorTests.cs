using Cellar.Repository.Platform;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// System errors reach the user as one sentence with the cause and the path, never as an internal
/// exception name; the repository stays sound. Real file systems: a small tmpfs that fills up, a
/// read-only one (mounting needs root), and a folder the user may not write.
/// </summary>
public sealed class SystemErrorTests : IDisposable
{
    private const string Password = "full-disk";
    private readonly TempDirectory _temp = new("cellar-syserr");
    private readonly List<string> _mounts = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            ExternalTool.RunAsync("umount", [mount]).GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    private async Task<string> MountTmpfsAsync(string name, string options)
    {
        if (!OperatingSystem.IsLinux() || !Posix.IsRoot)
        {
            Assert.Skip("mounting a small tmpfs needs root on Linux; run the tests as root to check full and read-only file systems.");
        }

        var mount = _temp.Combine(name);
        Directory.CreateDirectory(mount);
        var (code, _, error) = await ExternalTool.RunAsync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", mount], cancellationToken: Token);
        if (code != 0)
        {
            Assert.Skip($"cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): {error.Trim()}");
        }

        _mounts.Add(mount);
        return mount;
    }

    private static void ShouldBeOneSentence(string error)
    {
        error.Trim().Split('\n').Length.ShouldBe(1, error);
        error.ShouldNotContain("Exception");
        error.ShouldNotContain("CELLAR_DEBUG");
    }

    [Fact]
    public async Task Backup_into_a_full_disk_names_the_cause_and_path_and_restic_still_checks_the_repository()
    {
        var mount = await MountTmpfsAsync("small", "size=6m");
        var repo = Path.Combine(mount, "repo");
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "random.bin"), RandomBytes(20 * 1024 * 1024), Token);
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        (await CliHarness.RunAsync(env, "-r", repo, "init")).ExitCode.ShouldBe(0);

        var backup = await CliHarness.RunAsync(env, "-r", repo, "backup", source);

        backup.ExitCode.ShouldBe(1);
        backup.Error.ShouldStartWith("cellar: no space left on the device (" + repo + "/");
        ShouldBeOneSentence(backup.Error);
        var restic = new ResticRunner(repo, Password);
        await restic.CheckAsync(cancellationToken: Token);
        (await restic.SnapshotsAsync(Token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Init_on_a_read_only_file_system_says_so_with_the_path()
    {
        var mount = await MountTmpfsAsync("readonly", "size=1m,ro");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };

        var init = await CliHarness.RunAsync(env, "-r", Path.Combine(mount, "repo"), "init");

        init.ExitCode.ShouldBe(1);
        init.Error.ShouldStartWith($"cellar: read-only file system ({mount}/repo");
        ShouldBeOneSentence(init.Error);
    }

    [Fact]
    public async Task Init_where_the_user_may_not_write_says_permission_denied_with_the_path()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("file modes are tested on Linux.");
            return;
        }

        var parent = _temp.Combine("root-only");
        Directory.CreateDirectory(parent);
        var repo = Path.Combine(parent, "repo");
        var env = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password };
        (int ExitCode, string Error) init;
        if (!Posix.IsRoot)
        {
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var run = await CliHarness.RunAsync(env, "-r", repo, "init");
            init = (run.ExitCode, run.Error);
        }
        else
        {
            // Root may write anywhere: the built cellar runs as nobody in a folder root owns.
            var setpriv = ExternalTool.Find("setpriv");
            if (setpriv is null)
            {
                Assert.Skip("running as root without setpriv (util-linux) to drop privileges.");
            }

            File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
            var cellar = Path.Combine(AppContext.BaseDirectory, "cellar");
            var childEnv = new Dictionary<string, string> { ["CELLAR_PASSWORD"] = Password, ["HOME"] = "/tmp" };
            var run = await ExternalTool.RunAsync(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", cellar, "-r", repo, "init"], childEnv, cancellationToken: Token);
            init = (run.ExitCode, run.Error);
        }

        init.ExitCode.ShouldBe(1);
        init.Error.ShouldStartWith($"cellar: permission denied ({repo}");
        ShouldBeOneSentence(init.Error);
        Directory.Exists(repo).ShouldBeFalse();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(14).NextBytes(bytes);
        return bytes;
    }
}
