namespace Cellar.Repository.Tagging;

/// <summary>
/// A change to snapshot tags as restic's <c>tag</c> makes it: <see cref="Set"/> replaces all tags
/// (a single empty tag means none), else <see cref="Add"/> then <see cref="Remove"/>.
/// </summary>
public sealed record TagChange(IReadOnlyList<string> Set, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    /// <summary>Applies the change to <paramref name="tags"/>; returns the new list (null: no tags) and whether anything changed.</summary>
    public (List<string>? Tags, bool Changed) Apply(List<string>? tags)
    {
        if (Set.Count > 0)
        {
            return (Set is [""] ? null : [.. Set], true);
        }

        var result = tags is null ? new List<string>() : [.. tags];
        var changed = false;
        foreach (var tag in Add)
        {
            if (!result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
                changed = true;
            }
        }

        foreach (var tag in Remove)
        {
            changed |= result.RemoveAll(t => t == tag) > 0;
        }

        return (result.Count == 0 ? null : result, changed);
    }
}
