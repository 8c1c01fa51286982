using Cellar.Repository;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary>The snapshots a multi-snapshot command works on, as restic picks them: the ids (or 'latest') given, else every snapshot the filter keeps.</summary>
internal static class SnapshotSelection
{
    public static async Task<IReadOnlyList<Snapshot>> SelectAsync(ResticRepository repository, IReadOnlyList<string> specs, SnapshotFilter filter, CancellationToken cancellationToken)
    {
        if (specs.Count == 0)
        {
            return await repository.ListSnapshotsAsync(cancellationToken, filter).ConfigureAwait(false);
        }

        var result = new List<Snapshot>();
        foreach (var spec in specs)
        {
            var snapshot = await repository.FindSnapshotAsync(spec, cancellationToken, spec == "latest" ? filter : null).ConfigureAwait(false);
            if (result.All(s => s.Id != snapshot.Id))
            {
                result.Add(snapshot);
            }
        }

        return result;
    }
}
