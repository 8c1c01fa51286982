using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Storage.S3.Tests;

/// <summary>The backend conformance suite against a real s3rver, each test in a bucket of its own.</summary>
public sealed class S3BackendConformanceTests(S3Server server) : BackendConformance, IClassFixture<S3Server>
{
    protected override async Task<IBackend> CreateEmptyBackendAsync()
    {
        var backend = S3Backend.Open(S3Location.Parse(server.NewLocation("repo/inner")), S3Credentials.FromEnvironment(name => server.Environment.GetValueOrDefault(name)));
        await backend.CreateBucketIfMissingAsync(Cancel);
        return backend;
    }
}
