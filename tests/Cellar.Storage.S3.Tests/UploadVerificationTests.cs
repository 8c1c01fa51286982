using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cellar.Repository.Storage;

namespace Cellar.Storage.S3.Tests;

/// <summary>
/// A server that accepts uploads but answers with the checksum of other bytes: Cellar must notice.
/// (s3rver always stores what it receives, so a tiny stand-in plays the faulty server.)
/// </summary>
public sealed class UploadVerificationTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Method, string? ContentMd5, string? ContentEncoding, string? Sha256Header)> _requests = new();
    private readonly int _port;

    public UploadVerificationTests()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var request = context.Request;
            _requests.Enqueue((request.HttpMethod, request.Headers["Content-MD5"], request.Headers["Content-Encoding"], request.Headers["x-amz-content-sha256"]));
            await request.InputStream.CopyToAsync(Stream.Null);
            if (request.HttpMethod == "HEAD")
            {
                context.Response.StatusCode = 404;
            }
            else
            {
                context.Response.StatusCode = 200;
                context.Response.Headers["ETag"] = "\"00112233445566778899aabbccddeeff\"";
            }

            context.Response.Close();
        }
    }

    [Fact]
    public async Task An_etag_that_is_not_the_md5_of_the_sent_bytes_fails_the_save()
    {
        await using var backend = S3Backend.Open(S3Location.Parse($"s3:http://127.0.0.1:{_port}/bucket"), new S3Credentials("key", "secret", null, "us-east-1"));
        var ex = await Should.ThrowAsync<StorageException>(() => backend.SaveAsync(new FileHandle(FileType.Snapshot, "ab" + new string('0', 62)), new byte[] { 1, 2, 3 }, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("the upload is damaged");
        ex.IsTransient.ShouldBeTrue();
        var put = _requests.Single(r => r.Method == "PUT");
        put.ContentMd5.ShouldBe(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(new byte[] { 1, 2, 3 })));
        (put.ContentEncoding ?? "").ShouldNotContain("aws-chunked");
        (put.Sha256Header ?? "").ShouldNotStartWith("STREAMING");
    }
}
