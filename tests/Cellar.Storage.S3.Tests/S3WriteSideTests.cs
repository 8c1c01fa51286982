using Cellar.Repository;
using Cellar.Repository.Archiving;
using Cellar.Repository.Writing;
using Cellar.Testing;

namespace Cellar.Storage.S3.Tests;

/// <summary>Cellar creates and fills a repository on a real S3 server; the real restic then checks and restores it from there.</summary>
public sealed class S3WriteSideTests(S3Server server) : IClassFixture<S3Server>, IDisposable
{
    private const string Password = "s3-write-side";
    private readonly TempDirectory _temp = new("cellar-s3-write");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private async Task<(int Code, string Out, string Error)> ResticAsync(string location, params string[] args)
    {
        var env = new Dictionary<string, string>(server.Environment) { ["RESTIC_REPOSITORY"] = location, ["RESTIC_PASSWORD"] = Password };
        // restic only reads here: no lock (a write) and no cache.
        return await ExternalTool.RunAsync(ExternalTool.Require("restic"), ["--no-lock", "--no-cache", .. args], env, cancellationToken: Cancel);
    }

    [Fact]
    public async Task Repository_written_by_cellar_on_s3_passes_restic_check_and_restores_exactly()
    {
        var source = _temp.Combine("source");
        Directory.CreateDirectory(Path.Combine(source, "docs"));
        var big = new byte[6_000_000];
        new Random(42).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), big, Cancel);
        for (var i = 0; i < 20; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, "docs", $"doc{i}.txt"), string.Concat(Enumerable.Repeat($"document {i} ", 500)), Cancel);
        }

        await File.WriteAllBytesAsync(Path.Combine(source, "empty"), [], Cancel);

        var location = server.NewLocation("cellar");
        // init on a bucket that does not exist yet: the initializer has the backend create it.
        var backend = S3BackendFactory.Open(location, name => server.Environment.GetValueOrDefault(name));
        await using (var repository = await RepositoryInitializer.InitializeAsync(backend, Password, 2, Cancel))
        {
            var first = await new BackupJob(repository).RunAsync(new BackupRequest { Paths = [source], Hostname = "s3host" }, Cancel);
            first.PacksWritten.ShouldBeGreaterThan(0);
        }

        // The second, incremental backup opens the repository again from S3 (config, key, index).
        await File.WriteAllTextAsync(Path.Combine(source, "docs", "new.txt"), "added later", Cancel);
        await using (var reopened = await ResticRepository.OpenAsync(S3BackendFactory.Open(location, name => server.Environment.GetValueOrDefault(name)), Password, Cancel))
        {
            await new BackupJob(reopened).RunAsync(new BackupRequest { Paths = [source], Hostname = "s3host" }, Cancel);
        }

        var (code, output, error) = await ResticAsync(location, "check", "--read-data");
        code.ShouldBe(0, output + error);
        output.ShouldContain("no errors were found");

        (code, output, error) = await ResticAsync(location, "snapshots", "--json");
        code.ShouldBe(0, error);
        System.Text.Json.JsonDocument.Parse(output).RootElement.GetArrayLength().ShouldBe(2);

        var target = _temp.Combine("restored");
        (code, _, error) = await ResticAsync(location, "restore", "latest", "--target", target);
        code.ShouldBe(0, error);
        var restored = Path.Combine(target, source.TrimStart('/'));
        (await File.ReadAllBytesAsync(Path.Combine(restored, "big.bin"), Cancel)).ShouldBe(big);
        (await File.ReadAllTextAsync(Path.Combine(restored, "docs", "new.txt"), Cancel)).ShouldBe("added later");
        (await File.ReadAllTextAsync(Path.Combine(restored, "docs", "doc7.txt"), Cancel)).ShouldBe(string.Concat(Enumerable.Repeat("document 7 ", 500)));
        new FileInfo(Path.Combine(restored, "empty")).Length.ShouldBe(0);
    }
}
