using System.CommandLine;
using Cellar.Repository;

namespace Cellar.Cli.Commands;

/// <summary>The <c>--host</c>, <c>--tag</c>, <c>--path</c> snapshot filters shared by several commands.</summary>
internal sealed class SnapshotFilterOptions
{
    public Option<string[]> Host { get; } = new("--host", "-H") { Description = "Only consider snapshots of this host (repeatable)", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Tag { get; } = new("--tag") { Description = "Only consider snapshots with these tags: a,b needs both; repeat for either" };
    public Option<string[]> Path { get; } = new("--path") { Description = "Only consider snapshots that include this path (repeatable)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Tag);
        command.Options.Add(Path);
    }

    public SnapshotFilter Read(CommandContext context) => new(context.Get(Host), context.Get(Tag), context.Get(Path));
}
