using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Backends;

/// <summary>The backend conformance suite against the local folder backend, in a fresh repository layout per test.</summary>
public sealed class LocalBackendConformanceTests : BackendConformance, IDisposable
{
    private readonly TempDirectory _directory = new("cellar-local-backend");

    protected override Task<IBackend> CreateEmptyBackendAsync()
    {
        var backend = new LocalBackend(_directory.Combine("repo"));
        backend.CreateLayout();
        return Task.FromResult<IBackend>(backend);
    }

    public void Dispose() => _directory.Dispose();
}
