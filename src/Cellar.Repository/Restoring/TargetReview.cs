using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// What a restore would do to a target, and the two checks around it, as restic 0.17's
/// <c>restore --dry-run</c>, <c>--delete</c> and <c>--verify</c>: the plan entry by entry, the entries
/// of the target the snapshot lacks (only where the filter restores), and a check that every
/// restored file holds exactly the snapshot's content (each blob hashed again).
/// </summary>
public sealed class TargetReview(ResticRepository repository, Id treeId, string target, RestoreFilter filter, OverwriteMode overwrite)
{
    /// <summary>Every entry the restore takes and what it would do there; nothing is written.</summary>
    public async Task<IReadOnlyList<RestoreAction>> PlanAsync(CancellationToken cancellationToken)
    {
        var actions = new List<RestoreAction>();
        await SelectedEntries.WalkAsync(repository, treeId, filter, (location, node, selected) =>
        {
            if (selected)
            {
                FileStatus? existing = Posix.TryStat(RawPath.FromString(target + location), out var status) ? status : null;
                var action = node.IsDirectory
                    ? (existing is null ? OverwritePolicy.Action.Restore : OverwritePolicy.Action.Update)
                    : OverwritePolicy.Decide(overwrite, node, existing);
                actions.Add(new RestoreAction(action switch
                {
                    OverwritePolicy.Action.Restore => "restored",
                    OverwritePolicy.Action.Update => "updated",
                    _ => "unchanged",
                }, location, node.Type == NodeType.File ? node.Size : 0));
            }

            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return actions;
    }

    /// <summary>The target's entries (topmost only) the snapshot does not hold, where the filter restores.</summary>
    public async Task<IReadOnlyList<string>> ExtraEntriesAsync(CancellationToken cancellationToken)
    {
        var extra = new List<string>();
        await CollectExtraAsync(treeId, "", extra, cancellationToken).ConfigureAwait(false);
        return extra;
    }

    /// <summary>The folder restored into.</summary>
    public string Target => target;

    /// <summary>Removes the entries <see cref="ExtraEntriesAsync"/> found (a folder with all it holds; a symlink itself, never what it points to).</summary>
    public void Delete(IEnumerable<string> locations)
    {
        foreach (var location in locations)
        {
            var path = target + location;
            if (Posix.TryStat(RawPath.FromString(path), out var status) && status.IsDirectory)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Reads every selected file back from the target and checks it blob by blob; returns the files checked and each mismatch.</summary>
    public async Task<(int Files, IReadOnlyList<RestoreError> Errors)> VerifyAsync(CancellationToken cancellationToken)
    {
        var errors = new List<RestoreError>();
        var files = 0;
        await SelectedEntries.WalkAsync(repository, treeId, filter, async (location, node, selected) =>
        {
            if (!selected || node.Type != NodeType.File)
            {
                return;
            }

            files++;
            var problem = await VerifyFileAsync(target + location, node, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                errors.Add(new RestoreError(location, problem));
            }
        }, cancellationToken).ConfigureAwait(false);
        return (files, errors);
    }

    private async Task<string?> VerifyFileAsync(string path, Node node, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read for verification: {ex.Message}";
        }

        await using (stream.ConfigureAwait(false))
        {
            if ((ulong)stream.Length != node.Size)
            {
                return $"has {stream.Length} bytes, the snapshot {node.Size}";
            }

            long offset = 0;
            foreach (var id in node.Content ?? [])
            {
                if (!repository.Index.TryLookup(id, BlobType.Data, out var packed))
                {
                    return $"data blob {id.ToShortString()} is not in the repository's index";
                }

                var buffer = new byte[packed.PlaintextLength];
                await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (Id.Hash(buffer) != id)
                {
                    return $"differs from the snapshot at bytes {offset}-{offset + buffer.Length - 1}";
                }

                offset += buffer.Length;
            }
        }

        return null;
    }

    private async Task CollectExtraAsync(Id tree, string prefix, List<string> extra, CancellationToken cancellationToken)
    {
        var directory = target + (prefix.Length == 0 ? "" : prefix);
        if (!Directory.Exists(directory) || new FileInfo(directory).LinkTarget is not null)
        {
            return;
        }

        var listing = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        var inSnapshot = listing.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var entry in Posix.ReadDirectory(RawPath.FromString(directory)))
        {
            var name = entry.Name.ToString();
            if (name is "." or "..")
            {
                continue;
            }

            var location = prefix + "/" + name;
            if (!inSnapshot.TryGetValue(name, out var node))
            {
                var isDirectory = entry.Kind == FileKind.Directory;
                if (filter.Select(location, isDirectory).Selected)
                {
                    extra.Add(location);
                }

                continue;
            }

            if (node.IsDirectory && node.Subtree is { } subtree && filter.Select(location, true).EnterChildren)
            {
                await CollectExtraAsync(subtree, location, extra, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
