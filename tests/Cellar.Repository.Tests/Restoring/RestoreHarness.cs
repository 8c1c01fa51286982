using Cellar.Repository.Restoring;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>Restores a snapshot with Cellar's <see cref="Restorer"/> from a repository on disk.</summary>
internal static class RestoreHarness
{
    public static async Task<RestoreResult> RestoreAsync(string repository, string password, string snapshot, string target, RestoreOptions? options = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var repo = await ResticRepository.OpenAsync(new LocalBackend(repository), password, ct);
        var found = await repo.FindSnapshotAsync(snapshot, ct);
        return await new Restorer(repo, options).RestoreAsync(found.Tree!.Value, target, ct);
    }

    /// <summary>Restores one snapshot with restic and with Cellar into sibling folders; returns both paths and Cellar's result.</summary>
    public static async Task<(string Restic, string Cellar, RestoreResult Result)> RestoreBothAsync(
        TempDirectory temp, ResticRunner restic, string snapshot, string name, RestoreOptions? options = null, IEnumerable<string>? resticArgs = null)
    {
        var byRestic = temp.Combine(name + "-restic");
        var byCellar = temp.Combine(name + "-cellar");
        await restic.RestoreAsync(snapshot, byRestic, resticArgs, TestContext.Current.CancellationToken);
        var result = await RestoreAsync(restic.Repository, restic.Password, snapshot, byCellar, options);
        return (byRestic, byCellar, result);
    }
}
