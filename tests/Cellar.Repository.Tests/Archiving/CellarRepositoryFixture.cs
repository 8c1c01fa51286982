using Cellar.Repository.Archiving;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Archiving;

/// <summary>A repository made by Cellar in a temp folder, with restic pointed at it.</summary>
internal sealed class CellarRepositoryFixture : IAsyncDisposable
{
    public const string Password = "geheim";

    private CellarRepositoryFixture(TempDirectory directory, string path)
    {
        Directory = directory;
        Path = path;
        Restic = new ResticRunner(path, Password);
    }

    public TempDirectory Directory { get; }

    public string Path { get; }

    public ResticRunner Restic { get; }

    public static async Task<CellarRepositoryFixture> CreateAsync(int formatVersion = 2, bool byRestic = false)
    {
        var directory = new TempDirectory("cellar-backup");
        var path = directory.Combine("repo");
        var fixture = new CellarRepositoryFixture(directory, path);
        if (byRestic)
        {
            await fixture.Restic.InitAsync(formatVersion);
        }
        else
        {
            await using var repository = await RepositoryInitializer.InitializeAsync(new LocalBackend(path), Password, formatVersion, CancellationToken.None);
        }

        return fixture;
    }

    public Task<ResticRepository> OpenAsync() => ResticRepository.OpenAsync(new LocalBackend(Path), Password, CancellationToken.None);

    public async Task<BackupResult> BackupAsync(BackupRequest request, BlobCompression compression = BlobCompression.Auto, List<BackupWarning>? warnings = null)
    {
        await using var repository = await OpenAsync();
        var job = new BackupJob(repository, compression);
        if (warnings is not null)
        {
            job.Warning += w =>
            {
                lock (warnings)
                {
                    warnings.Add(w);
                }
            };
        }

        return await job.RunAsync(request, TestContext.Current.CancellationToken);
    }

    public int CountFiles(string folder) =>
        System.IO.Directory.Exists(System.IO.Path.Combine(Path, folder))
            ? System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(Path, folder), "*", SearchOption.AllDirectories).Count()
            : 0;

    public ValueTask DisposeAsync()
    {
        Directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
