using System.Net;
using System.Net.Sockets;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Storage.S3.Tests;

/// <summary>What the S3 backend does beyond the conformance suite: errors, paging, bucket creation, restic interop.</summary>
public sealed class S3BackendTests(S3Server server) : IClassFixture<S3Server>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private S3Credentials Credentials => S3Credentials.FromEnvironment(name => server.Environment.GetValueOrDefault(name));

    [Fact]
    public async Task Init_creates_a_missing_bucket_once()
    {
        await using var backend = S3Backend.Open(S3Location.Parse(server.NewLocation()), Credentials);
        (await backend.CreateBucketIfMissingAsync(Cancel)).ShouldBeTrue();
        (await backend.CreateBucketIfMissingAsync(Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task Missing_bucket_is_reported_by_name()
    {
        var location = S3Location.Parse(server.NewLocation());
        await using var backend = S3Backend.Open(location, Credentials);
        var ex = await Should.ThrowAsync<StorageException>(() => backend.SaveAsync(new FileHandle(FileType.Key, "ab12"), new byte[] { 1 }, Cancel));
        ex.Message.ShouldContain($"'{location.Bucket}' does not exist");
        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task Wrong_credentials_are_access_denied()
    {
        var location = S3Location.Parse(server.NewLocation());
        await using (var good = S3Backend.Open(location, Credentials))
        {
            await good.CreateBucketIfMissingAsync(Cancel);
        }

        await using var backend = S3Backend.Open(location, new S3Credentials("NOT-A-KEY", "wrong-secret", null, "us-east-1"));
        var ex = await Should.ThrowAsync<StorageException>(async () => await ListAsync(backend, FileType.Snapshot));
        ex.Message.ShouldContain("access denied");
        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task Unreachable_endpoint_is_a_transient_error_naming_the_endpoint()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var backend = S3Backend.Open(S3Location.Parse($"s3:http://127.0.0.1:{port}/bucket"), Credentials);
        var ex = await Should.ThrowAsync<StorageException>(() => backend.StatAsync(FileHandle.Config, Cancel));
        ex.Message.ShouldContain($"cannot reach the S3 endpoint http://127.0.0.1:{port}/");
        ex.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task Listing_follows_continuation_across_pages()
    {
        await using var backend = S3Backend.Open(S3Location.Parse(server.NewLocation("p")), Credentials);
        backend.ListPageSize = 3;
        await backend.CreateBucketIfMissingAsync(Cancel);
        var names = Enumerable.Range(0, 10).Select(i => $"{i:x2}{new string('0', 62)}").ToList();
        foreach (var name in names)
        {
            await backend.SaveAsync(new FileHandle(FileType.Index, name), new byte[] { 1, 2 }, Cancel);
        }

        (await ListAsync(backend, FileType.Index)).Select(f => f.Name).Order(StringComparer.Ordinal).ShouldBe(names);
    }

    [Fact]
    public async Task Saving_the_same_bytes_again_is_a_no_op()
    {
        await using var backend = S3Backend.Open(S3Location.Parse(server.NewLocation()), Credentials);
        await backend.CreateBucketIfMissingAsync(Cancel);
        var handle = new FileHandle(FileType.Snapshot, "ff00");
        await backend.SaveAsync(handle, new byte[] { 7, 8, 9 }, Cancel);
        await backend.SaveAsync(handle, new byte[] { 7, 8, 9 }, Cancel);
        (await backend.LoadAsync(handle, 0, 0, Cancel)).ShouldBe(new byte[] { 7, 8, 9 });
    }

    [Fact]
    public async Task Files_land_in_restics_layout_under_the_prefix()
    {
        var location = S3Location.Parse(server.NewLocation("some/prefix"));
        await using var backend = S3Backend.Open(location, Credentials);
        await backend.CreateBucketIfMissingAsync(Cancel);
        var pack = "abcdef" + new string('1', 58);
        await backend.SaveAsync(new FileHandle(FileType.Pack, pack), new byte[] { 1 }, Cancel);
        await backend.SaveAsync(FileHandle.Config, new byte[] { 2 }, Cancel);
        // s3rver stores objects as files below <dir>/<bucket>/<key>._S3rver_object (its own naming).
        var stored = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, location.Bucket), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Path.Combine(server.DataDirectory, location.Bucket), p).Replace('\\', '/'))
            .ToList();
        stored.ShouldContain(p => p.StartsWith($"some/prefix/data/ab/{pack}", StringComparison.Ordinal));
        stored.ShouldContain(p => p.StartsWith("some/prefix/config", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploads_are_stored_byte_for_byte_without_chunk_encoding()
    {
        // An aws-chunked upload to a server that does not decode it stores chunk headers inside
        // the object; s3rver keeps the object body as a plain file, so compare with that.
        var location = S3Location.Parse(server.NewLocation());
        await using var backend = S3Backend.Open(location, Credentials);
        await backend.CreateBucketIfMissingAsync(Cancel);
        var data = new byte[200_000];
        new Random(5).NextBytes(data);
        var handle = new FileHandle(FileType.Pack, "5e" + new string('a', 62));
        await backend.SaveAsync(handle, data, Cancel);
        var stored = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, location.Bucket), handle.Name + "._S3rver_object", SearchOption.AllDirectories).Single();
        (await File.ReadAllBytesAsync(stored, Cancel)).ShouldBe(data);
    }

    [Fact]
    public async Task Stat_in_a_missing_bucket_is_no_such_file()
    {
        await using var backend = S3Backend.Open(S3Location.Parse(server.NewLocation()), Credentials);
        (await backend.StatAsync(FileHandle.Config, Cancel)).ShouldBeNull();
    }

    private static async Task<List<RemoteFile>> ListAsync(IBackend backend, FileType type)
    {
        var result = new List<RemoteFile>();
        await foreach (var file in backend.ListAsync(type, Cancel))
        {
            result.Add(file);
        }

        return result;
    }
}
