namespace Cellar.Repository.Policy;

/// <summary>What the snapshots of one group share; null lists mean the field is not part of the grouping.</summary>
public sealed record SnapshotGroupKey(string Hostname, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Tags)
{
    /// <summary>restic's group header, e.g. <c>snapshots for (host [h], paths [/a, /b]):</c>; empty when not grouped.</summary>
    public string Header
    {
        get
        {
            var parts = new List<string>();
            if (Hostname.Length > 0)
            {
                parts.Add($"host [{Hostname}]");
            }

            if (Tags is not null)
            {
                parts.Add($"tags [{string.Join(", ", Tags)}]");
            }

            if (Paths is not null)
            {
                parts.Add($"paths [{string.Join(", ", Paths)}]");
            }

            return parts.Count == 0 ? "" : $"snapshots for ({string.Join(", ", parts)}):";
        }
    }

    /// <summary>restic's short description, used in the refusal to remove a group's last snapshot.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Hostname.Length > 0)
        {
            parts.Add($"host {Hostname}");
        }

        if (Paths is { Count: > 0 })
        {
            parts.Add($"path [{string.Join(" ", Paths)}]");
        }

        if (Tags is { Count: > 0 })
        {
            parts.Add($"tags [{string.Join(" ", Tags)}]");
        }

        return string.Join(", ", parts);
    }

    public bool Equals(SnapshotGroupKey? other) =>
        other is not null && Hostname == other.Hostname && SameList(Paths, other.Paths) && SameList(Tags, other.Tags);

    public override int GetHashCode() => HashCode.Combine(Hostname, string.Join("\0", Paths ?? []), string.Join("\0", Tags ?? []));

    internal string SortKey => $"{Hostname}\u0001{string.Join("\0", Paths ?? [])}\u0001{string.Join("\0", Tags ?? [])}";

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
}
