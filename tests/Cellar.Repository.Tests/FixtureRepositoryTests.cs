using Cellar.Repository.Checking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>restic's own old test repositories (format 1, password "geheim") open and read completely.</summary>
public sealed class FixtureRepositoryTests
{
    public static TheoryData<string> Repositories => new() { "small-repo", "repo-mixed", "repo-duplicates", "repo-restore-permissions-test", "repo-same-timestamps" };

    internal static async Task<string> UnpackAsync(TempDirectory temp, string name)
    {
        var archive = SharedFixtures.Require("restic", "repos", name + ".tar.gz");
        var (code, _, error) = await ExternalTool.RunAsync("tar", ["xzf", archive, "-C", temp.Path], cancellationToken: TestContext.Current.CancellationToken);
        code.ShouldBe(0, error);
        return temp.Combine("repo");
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task Old_restic_repository_opens_lists_and_loads_every_blob(string name)
    {
        using var temp = new TempDirectory();
        var path = await UnpackAsync(temp, name);
        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(path), "geheim", ct);
        repository.Config.Version.ShouldBe(1);
        var snapshots = await repository.ListSnapshotsAsync(ct);
        snapshots.ShouldNotBeEmpty();
        repository.Index.BlobCount.ShouldBeGreaterThan(0);
        foreach (var blob in repository.Index.AllBlobs())
        {
            var plaintext = await repository.LoadBlobAsync(blob.Type, blob.Id, ct);
            Id.Hash(plaintext).ShouldBe(blob.Id);
        }

        foreach (var snapshot in snapshots)
        {
            var tree = await repository.LoadTreeAsync(snapshot.Tree!.Value, ct);
            tree.Nodes.ShouldNotBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task Old_restic_repository_passes_check_with_read_data(string name)
    {
        using var temp = new TempDirectory();
        var path = await UnpackAsync(temp, name);
        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(path), "geheim", ct, loadIndex: false);
        var result = await new Checker(repository).CheckAsync(readData: true, ct);
        result.Errors.ShouldBeEmpty();
        result.SnapshotsChecked.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_clear_exception()
    {
        using var temp = new TempDirectory();
        var path = await UnpackAsync(temp, "small-repo");
        var ex = await Should.ThrowAsync<WrongPasswordException>(() =>
            ResticRepository.OpenAsync(new LocalBackend(path), "not the password", TestContext.Current.CancellationToken));
        ex.Message.ShouldContain("wrong password");
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public async Task Missing_repository_is_reported_as_not_found()
    {
        using var temp = new TempDirectory();
        await Should.ThrowAsync<RepositoryNotFoundException>(() =>
            ResticRepository.OpenAsync(new LocalBackend(temp.Combine("nothing")), "x", TestContext.Current.CancellationToken));
    }
}
