using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Backends;

public sealed class BackendStackTests
{
    [Fact]
    public async Task Registry_gives_local_folders_the_standard_wrappers_over_the_local_backend()
    {
        using var temp = new TempDirectory("cellar-stack");
        await using var backend = BackendRegistry.Create(temp.Combine("repo"));
        backend.ShouldBeOfType<RetryingBackend>().Inner.ShouldBeOfType<LimitedBackend>();
        BackendStack.Unwrap(backend).ShouldBeOfType<LocalBackend>().RootPath.ShouldBe(temp.Combine("repo"));
    }
}
