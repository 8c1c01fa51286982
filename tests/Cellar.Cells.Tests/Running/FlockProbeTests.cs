using Cellar.Cells.Running;
using Cellar.Testing;
using Cellar.Testing.Bolt;

namespace Cellar.Cells.Tests.Running;

public sealed class FlockProbeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_open_in_a_writer_is_held_and_free_once_it_exits()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("activities.db");
        await BoltWriter.CreateAsync(path, "small", Token);
        FlockProbe.Probe(path).ShouldBe(LockState.Free);
        using (await BoltWriter.StartAsync(path, Token))
        {
            FlockProbe.Probe(path).ShouldBe(LockState.Held);
            RunningState.Detect([path]).IsRunning.ShouldBeTrue();
        }

        FlockProbe.Probe(path).ShouldBe(LockState.Free);
    }

    [Fact]
    public async Task Verifying_a_store_held_by_its_writer_reads_it_without_taking_a_lock()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("jobs.db");
        await BoltWriter.CreateAsync(path, "large", Token);
        using var writer = await BoltWriter.StartAsync(path, Token);

        var result = Cellar.Cells.Bolt.BoltVerifier.Verify(path, Token);

        result.Summary.ShouldNotBeNull();
        writer.HasExited.ShouldBeFalse();
        FlockProbe.Probe(path).ShouldBe(LockState.Held);
    }

    [Fact]
    public void A_missing_store_is_reported_missing()
    {
        using var dir = new TempDirectory();
        FlockProbe.Probe(dir.Combine("none.db")).ShouldBe(LockState.Missing);
    }

    [Fact]
    public void A_process_named_cells_is_found_in_proc()
    {
        using var proc = new TempDirectory();
        Directory.CreateDirectory(proc.Combine("123"));
        File.WriteAllText(proc.Combine("123", "comm"), "cells\n");
        Directory.CreateDirectory(proc.Combine("456"));
        File.WriteAllText(proc.Combine("456", "comm"), "bash\n");
        Directory.CreateDirectory(proc.Combine("self"));
        CellsProcessFinder.Find(proc.Path).ShouldBe([123]);
    }
}
