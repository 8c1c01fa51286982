using System.Security.Cryptography;
using Cellar.Repository.Blobs;
using Cellar.Repository.Crypto;
using Cellar.Repository.Packs;
using Cellar.Repository.Storage;
using Cellar.Repository.Tests.Backends;
using Cellar.Repository.Writing;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Packs;

/// <summary>Packs are assembled in temporary files (as restic's packer manager does) and those files are freed whatever happens.</summary>
public sealed class PackTempFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pack_larger_than_any_buffer_round_trips_through_its_temporary_file()
    {
        using var key = MasterKey.CreateRandom();
        using var temp = new TempDirectory();
        using var repo = new TempDirectory();
        var backend = new LocalBackend(repo.Path);
        backend.CreateLayout();

        // Three 8 MiB blobs (restic's largest chunk): 24 MiB, more than the 17 MiB pack buffers of before
        // and than the 1 MiB copy buffer.
        var plaintexts = Enumerable.Range(0, 3).Select(i =>
        {
            var bytes = new byte[8 * 1024 * 1024];
            new Random(i).NextBytes(bytes);
            return bytes;
        }).ToList();
        Id packId;
        long packLength;
        using (var writer = new PackWriter(key, temp.Path))
        {
            foreach (var plaintext in plaintexts)
            {
                var (stored, _) = BlobDecoder.Encode(key, plaintext, compress: false);
                var offset = writer.Reserve(new BlobHandle(Id.Hash(plaintext), BlobType.Data), stored.Length, 0);
                writer.Write(offset, stored);
                writer.Release(succeeded: true).ShouldBeFalse();
            }

            writer.Close().ShouldBeTrue();
            using var pack = writer.Finish();
            OpenFilesUnder(temp.Path).ShouldBe(1);
            packId = pack.Id;
            packLength = pack.Length;
            packLength.ShouldBeGreaterThan(24L * 1024 * 1024);
            await backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), pack.File, pack.Length, Token);
        }

        OpenFilesUnder(temp.Path).ShouldBe(0);
        var storedPack = await File.ReadAllBytesAsync(backend.PathOf(new FileHandle(FileType.Pack, packId.ToString())), Token);
        storedPack.Length.ShouldBe((int)packLength);
        new Id(SHA256.HashData(storedPack)).ShouldBe(packId);
        var blobs = await PackHeader.ReadAsync(backend, packId, packLength, key, Token);
        blobs.Count.ShouldBe(3);
        for (var i = 0; i < blobs.Count; i++)
        {
            BlobDecoder.Decode(key, blobs[i], storedPack.AsSpan((int)blobs[i].Offset, blobs[i].Length)).ShouldBe(plaintexts[i]);
        }
    }

    [Fact]
    public async Task The_temporary_pack_files_are_open_while_blobs_are_gathered_and_freed_once_uploaded()
    {
        using var key = MasterKey.CreateRandom();
        using var temp = new TempDirectory();
        using var repo = new TempDirectory();
        var backend = new LocalBackend(repo.Path);
        backend.CreateLayout();
        await using (var writer = new BlobWriter(backend, key, 2, BlobCompression.Auto, _ => false, SaveIndex, temp.Path))
        {
            await SaveRandomBlobsAsync(writer, count: 40, seed: 1);
            await writer.SaveTreeAsync("{\"nodes\":[]}\n"u8.ToArray(), Token);
            OpenFilesUnder(temp.Path).ShouldBeGreaterThanOrEqualTo(2);

            await writer.FlushAsync(Token);

            writer.PacksWritten.ShouldBeGreaterThanOrEqualTo(3);
            OpenFilesUnder(temp.Path).ShouldBe(0);
        }

        Directory.EnumerateFileSystemEntries(temp.Path).ShouldBeEmpty();
        var packs = new List<RemoteFile>();
        await foreach (var file in backend.ListAsync(FileType.Pack, Token))
        {
            packs.Add(file);
        }

        packs.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task The_temporary_pack_files_are_freed_when_the_upload_fails()
    {
        using var key = MasterKey.CreateRandom();
        using var temp = new TempDirectory();
        var backend = new ScriptedBackend();
        backend.FailNext([.. Enumerable.Range(0, 20).Select(_ => new IOException("the disk is full"))]);
        await using (var writer = new BlobWriter(backend, key, 2, BlobCompression.Auto, _ => false, SaveIndex, temp.Path))
        {
            var failure = await Should.ThrowAsync<IOException>(async () =>
            {
                await SaveRandomBlobsAsync(writer, count: 60, seed: 2);
                await writer.FlushAsync(Token);
            });
            failure.Message.ShouldBe("the disk is full");
        }

        OpenFilesUnder(temp.Path).ShouldBe(0);
        Directory.EnumerateFileSystemEntries(temp.Path).ShouldBeEmpty();
    }

    private static async Task SaveRandomBlobsAsync(BlobWriter writer, int count, int seed)
    {
        // 1 MiB of random bytes each (incompressible): 16 fill a pack.
        var random = new Random(seed);
        var bytes = new byte[1024 * 1024];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            await writer.SaveBlobAsync(new BlobHandle(Id.Hash(bytes), BlobType.Data), bytes, Token);
        }
    }

    private static Task<Id> SaveIndex(byte[] json, CancellationToken cancellationToken) => Task.FromResult(Id.Hash(json));

    /// <summary>Descriptors of this process on files in <paramref name="directory"/> (unnamed O_TMPFILE files and unlinked ones included).</summary>
    private static int OpenFilesUnder(string directory) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget?.StartsWith(directory + "/", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false;
            }
        });
}
