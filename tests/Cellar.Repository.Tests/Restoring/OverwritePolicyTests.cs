using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Restoring;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>restic 0.17's --overwrite rules (doc/050_restore.rst) for one snapshot entry and what the target holds.</summary>
public sealed class OverwritePolicyTests
{
    private static readonly Node File = new() { Type = NodeType.File, Size = 5, ModTime = GoTime.FromUnix(1_700_000_000, 500) };

    private static FileStatus Existing(long size, long seconds, uint nanoseconds) =>
        new() { Mode = 0x8000 | 0x1A4, Size = size, ModifyTime = new PosixTime(seconds, nanoseconds) };

    [Theory]
    [InlineData(OverwriteMode.Always, OverwritePolicy.Action.Update)]
    [InlineData(OverwriteMode.IfChanged, OverwritePolicy.Action.Unchanged)]
    [InlineData(OverwriteMode.IfNewer, OverwritePolicy.Action.Unchanged)]
    [InlineData(OverwriteMode.Never, OverwritePolicy.Action.Unchanged)]
    public void A_file_with_the_same_size_and_time(OverwriteMode mode, OverwritePolicy.Action expected) =>
        OverwritePolicy.Decide(mode, File, Existing(5, 1_700_000_000, 500)).ShouldBe(expected);

    [Fact]
    public void If_changed_rewrites_on_another_size_or_time_to_the_nanosecond()
    {
        OverwritePolicy.Decide(OverwriteMode.IfChanged, File, Existing(6, 1_700_000_000, 500)).ShouldBe(OverwritePolicy.Action.Update);
        OverwritePolicy.Decide(OverwriteMode.IfChanged, File, Existing(5, 1_700_000_000, 501)).ShouldBe(OverwritePolicy.Action.Update);
    }

    [Fact]
    public void If_newer_replaces_only_an_older_entry()
    {
        OverwritePolicy.Decide(OverwriteMode.IfNewer, File, Existing(1, 1_699_999_999, 0)).ShouldBe(OverwritePolicy.Action.Update);
        OverwritePolicy.Decide(OverwriteMode.IfNewer, File, Existing(1, 1_700_000_001, 0)).ShouldBe(OverwritePolicy.Action.Unchanged);
    }

    [Fact]
    public void Nothing_in_the_target_is_always_a_restore()
    {
        foreach (var mode in Enum.GetValues<OverwriteMode>())
        {
            OverwritePolicy.Decide(mode, File, null).ShouldBe(OverwritePolicy.Action.Restore);
        }
    }
}
