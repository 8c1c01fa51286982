using Cellar.Repository.Storage;
using Cellar.Storage.S3;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>The CLI against a real S3 server (s3rver): repositories restic made there are listed, checked and thinned by Cellar.</summary>
public sealed class S3EndToEndTests(S3Server server) : IClassFixture<S3Server>, IDisposable
{
    private readonly TempDirectory _temp = new("cellar-s3-e2e");

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// restic writes the repository to a local folder and Cellar's S3 backend copies it to s3rver:
    /// restic 0.14 signs uploads over plain http with aws-chunked bodies, which s3rver stores
    /// undecoded, so restic cannot write to s3rver itself. Reading from it works, so restic
    /// reads the S3 copy afterwards (with --no-lock: a lock would be a write).
    /// </summary>
    private async Task<(ResticRepositoryMaker Local, ResticRepositoryMaker Remote)> MakeAsync(int snapshots)
    {
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "data.bin"), new byte[3_000_000].Select((_, i) => (byte)(i * 31 % 251)).ToArray(), TestContext.Current.CancellationToken);
        var local = new ResticRepositoryMaker(_temp.Combine("repo"));
        await local.InitAsync();
        for (var i = 0; i < snapshots; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, $"f{i}.txt"), $"version {i}", TestContext.Current.CancellationToken);
            await local.BackupAsync(source, new DateTime(2024, 5, 1 + i, 9, 0, 0));
        }

        var location = server.NewLocation("restic");
        await using (var s3 = S3BackendFactory.Open(location, name => server.Environment.GetValueOrDefault(name)))
        {
            (await S3BackendFactory.CreateBucketIfMissingAsync(s3, TestContext.Current.CancellationToken)).ShouldBeTrue();
            await using var folder = new LocalBackend(_temp.Combine("repo"));
            await BackendCopier.CopyAllAsync(folder, s3, TestContext.Current.CancellationToken);
        }

        return (local, new ResticRepositoryMaker(location, server.Environment, readOnly: true));
    }

    [Fact]
    public async Task Snapshots_and_check_read_a_restic_repository_on_s3()
    {
        var (_, maker) = await MakeAsync(2);
        var restic = await maker.SnapshotsAsync();
        restic.Count.ShouldBe(2);

        var (code, output, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "snapshots");
        code.ShouldBe(0, error);
        foreach (var snapshot in restic)
        {
            output.ShouldContain(snapshot.Id[..8]);
        }

        (code, output, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "check", "--read-data");
        code.ShouldBe(0, output + error);
    }

    [Fact]
    public async Task Forget_on_s3_leaves_what_restic_then_sees()
    {
        var (_, maker) = await MakeAsync(3);
        var before = await maker.SnapshotsAsync();
        before.Count.ShouldBe(3);

        var (code, _, error) = await CliHarness.RunAsync(maker.CellarEnvironment, "forget", "--keep-last", "1");

        code.ShouldBe(0, error);
        (await maker.SnapshotsAsync()).Select(s => s.Id).ShouldBe([before[^1].Id]);
        (await maker.RunAsync("check")).ShouldContain("no errors were found");
    }

    [Fact]
    public async Task Missing_bucket_is_one_clear_line_pointing_to_init()
    {
        var env = new Dictionary<string, string>(server.Environment) { ["CELLAR_REPOSITORY"] = server.NewLocation(), ["CELLAR_PASSWORD"] = "x" };
        var (code, _, error) = await CliHarness.RunAsync(env, "snapshots");
        code.ShouldBe(10);
        error.Trim().Split('\n').Length.ShouldBe(1);
        error.ShouldContain("there is no repository at s3:http://127.0.0.1");
    }

    [Fact]
    public async Task Init_backup_forget_and_restore_through_the_cli_on_s3_as_restic_sees_it()
    {
        var source = _temp.Combine("cli-source");
        Directory.CreateDirectory(source);
        var data = new byte[2_500_000];
        new Random(9).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(source, "blob.bin"), data, TestContext.Current.CancellationToken);
        var location = server.NewLocation("cellar-cli");
        var env = new Dictionary<string, string>(server.Environment) { ["CELLAR_REPOSITORY"] = location, ["CELLAR_PASSWORD"] = ResticRepositoryMaker.Password };

        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, error);
        output.ShouldContain("created restic repository");
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, "note.txt"), $"round {i}", TestContext.Current.CancellationToken);
            (code, _, error) = await CliHarness.RunAsync(env, "backup", "--host", "s3cli", source);
            code.ShouldBe(0, error);
        }

        (code, _, error) = await CliHarness.RunAsync(env, "forget", "--keep-last", "2");
        code.ShouldBe(0, error);

        var restic = new ResticRepositoryMaker(location, server.Environment, readOnly: true);
        (await restic.SnapshotsAsync()).Count.ShouldBe(2);
        (await restic.RunAsync("check", "--read-data")).ShouldContain("no errors were found");
        var target = _temp.Combine("restored");
        await restic.RunAsync("restore", "latest", "--target", target);
        var restored = Path.Combine(target, source.TrimStart('/'));
        (await File.ReadAllBytesAsync(Path.Combine(restored, "blob.bin"), TestContext.Current.CancellationToken)).ShouldBe(data);
        (await File.ReadAllTextAsync(Path.Combine(restored, "note.txt"), TestContext.Current.CancellationToken)).ShouldBe("round 2");
    }
}
