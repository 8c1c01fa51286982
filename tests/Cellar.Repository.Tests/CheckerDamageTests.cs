using Cellar.Repository.Checking;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>check finds damage made to a repository restic wrote, and names it.</summary>
public sealed class CheckerDamageTests
{
    private static async Task<(TempDirectory Temp, string Repo)> CreateAsync()
    {
        var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        SourceTree.Create(source);
        await ResticPeer.InitAsync(repo, 2);
        await ResticPeer.BackupAsync(repo, source);
        return (temp, repo);
    }

    private static async Task<CheckResult> CheckAsync(string repo, bool readData)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(repo), ResticPeer.Password, ct, loadIndex: false);
        return await new Checker(repository).CheckAsync(readData, ct);
    }

    /// <summary>The pack holding the big random file (the largest pack).</summary>
    private static FileInfo LargestPack(string repo) =>
        new DirectoryInfo(Path.Combine(repo, "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();

    [Fact]
    public async Task Sound_repository_passes_check_with_read_data()
    {
        var (temp, repo) = await CreateAsync();
        using (temp)
        {
            var result = await CheckAsync(repo, readData: true);
            result.Errors.ShouldBeEmpty();
            result.PacksChecked.ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task Flipped_bytes_in_a_pack_are_found_by_read_data_and_named()
    {
        var (temp, repo) = await CreateAsync();
        using (temp)
        {
            var pack = LargestPack(repo);
            pack.IsReadOnly = false;
            using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Position = 1000;
                var b = stream.ReadByte();
                stream.Position = 1000;
                stream.WriteByte((byte)(b ^ 0xff));
            }

            (await CheckAsync(repo, readData: false)).Errors.ShouldBeEmpty("structure alone does not read blob data");
            var result = await CheckAsync(repo, readData: true);
            result.HasErrors.ShouldBeTrue();
            result.Errors.ShouldContain(e => e.Contains($"pack {pack.Name}") && e.Contains("does not hash to its name"));
            result.Errors.ShouldContain(e => e.Contains("data blob") && e.Contains("MAC"));
            result.Errors.ShouldContain(e => e.Contains("random.bin") && e.Contains("damaged"));
        }
    }

    [Fact]
    public async Task Deleted_pack_is_named_with_the_files_it_affects()
    {
        var (temp, repo) = await CreateAsync();
        using (temp)
        {
            var pack = LargestPack(repo);
            File.Delete(pack.FullName);
            var result = await CheckAsync(repo, readData: false);
            result.Errors.ShouldContain(e => e.Contains($"pack {pack.Name} is in the index but missing"));
            result.Errors.ShouldContain(e => e.Contains("/sub/random.bin"));
        }
    }

    [Fact]
    public async Task Truncated_index_file_is_named()
    {
        var (temp, repo) = await CreateAsync();
        using (temp)
        {
            var index = new DirectoryInfo(Path.Combine(repo, "index")).EnumerateFiles().First();
            index.IsReadOnly = false;
            using (var stream = new FileStream(index.FullName, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.SetLength(stream.Length / 2);
            }

            var result = await CheckAsync(repo, readData: false);
            result.Errors.ShouldContain(e => e.Contains($"index file {index.Name} cannot be loaded"));
        }
    }
}
