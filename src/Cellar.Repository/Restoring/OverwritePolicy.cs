using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>Decides, for one snapshot entry and what the target already holds there, whether a restore writes it (restic 0.17's rules).</summary>
public static class OverwritePolicy
{
    /// <summary>What happens to one entry: written where nothing was, rewritten, or left as it is.</summary>
    public enum Action
    {
        Restore,
        Update,
        Unchanged,
    }

    /// <param name="existing">The target's entry at that place (not followed), or null when there is none.</param>
    public static Action Decide(OverwriteMode mode, Node node, FileStatus? existing)
    {
        if (existing is not { } status)
        {
            return Action.Restore;
        }

        var keep = mode switch
        {
            OverwriteMode.Never => true,
            OverwriteMode.IfNewer => Compare(node.ModTime, status.ModifyTime) <= 0,
            OverwriteMode.IfChanged => node.Type == NodeType.File && status.IsRegular
                                      && (ulong)status.Size == node.Size && Compare(node.ModTime, status.ModifyTime) == 0,
            _ => false,
        };
        return keep ? Action.Unchanged : Action.Update;
    }

    /// <summary>Parses restic's option values: always, if-changed, if-newer, never.</summary>
    public static OverwriteMode Parse(string value) => value switch
    {
        "always" => OverwriteMode.Always,
        "if-changed" => OverwriteMode.IfChanged,
        "if-newer" => OverwriteMode.IfNewer,
        "never" => OverwriteMode.Never,
        _ => throw new ArgumentException($"--overwrite must be always, if-changed, if-newer or never, not '{value}'."),
    };

    private static int Compare(Json.GoTime snapshot, PosixTime existing)
    {
        var c = snapshot.UnixSeconds.CompareTo(existing.Seconds);
        return c != 0 ? c : ((long)snapshot.Nanoseconds).CompareTo((long)existing.Nanoseconds);
    }
}
