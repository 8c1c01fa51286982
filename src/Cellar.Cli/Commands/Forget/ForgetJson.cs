using Cellar.Repository.Json;
using Cellar.Repository.Policy;

namespace Cellar.Cli.Commands.Forget;

/// <summary>restic's <c>forget --json</c> output: one object per group with keep, remove and reasons.</summary>
internal static class ForgetJson
{
    public static string Format(IReadOnlyList<ForgetGroup<SnapshotCandidate>> groups)
    {
        var w = new GoJsonWriter();
        w.StartArray();
        foreach (var group in groups)
        {
            w.StartObject();
            w.Name("tags");
            w.Strings(group.Key.Tags);
            w.Name("host");
            w.String(group.Key.Hostname);
            w.Name("paths");
            w.Strings(group.Key.Paths);
            w.Name("keep");
            Snapshots(w, group.Result.Keep);
            w.Name("remove");
            Snapshots(w, group.Result.Remove);
            w.Name("reasons");
            if (group.Result.Reasons.Count == 0)
            {
                w.Null();
            }
            else
            {
                w.StartArray();
                foreach (var reason in group.Result.Reasons)
                {
                    w.StartObject();
                    w.Name("snapshot");
                    reason.Snapshot.Snapshot.WriteTo(w, includeId: true);
                    w.Name("matches");
                    w.Strings(reason.Matches);
                    w.EndObject();
                }

                w.EndArray();
            }

            w.EndObject();
        }

        w.EndArray();
        return System.Text.Encoding.UTF8.GetString(w.WrittenSpan);
    }

    private static void Snapshots(GoJsonWriter w, IReadOnlyList<SnapshotCandidate> snapshots)
    {
        if (snapshots.Count == 0)
        {
            w.Null();
            return;
        }

        w.StartArray();
        foreach (var snapshot in snapshots)
        {
            snapshot.Snapshot.WriteTo(w, includeId: true);
        }

        w.EndArray();
    }

}
