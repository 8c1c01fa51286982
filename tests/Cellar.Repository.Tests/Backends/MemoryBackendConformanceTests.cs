using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Backends;

/// <summary>The conformance suite against the in-memory test backend, and through the full wrapper stack.</summary>
public sealed class MemoryBackendConformanceTests : BackendConformance
{
    protected override Task<IBackend> CreateEmptyBackendAsync() => Task.FromResult<IBackend>(new MemoryBackend());
}

public sealed class ComposedStackConformanceTests : BackendConformance
{
    protected override Task<IBackend> CreateEmptyBackendAsync() =>
        Task.FromResult(BackendStack.Compose(new MemoryBackend(), new BackendLimits(1, 1, 1)));
}
