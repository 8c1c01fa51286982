namespace Cellar.Repository.Restoring;

/// <summary>What a restore does with an entry already in the target, as restic 0.17's <c>--overwrite</c>.</summary>
public enum OverwriteMode
{
    /// <summary>Always write it again (restic's default).</summary>
    Always,

    /// <summary>Leave a regular file whose size and modification time match the snapshot (its metadata is still set); rewrite the rest.</summary>
    IfChanged,

    /// <summary>Only replace it when the snapshot's modification time is newer than the existing entry's.</summary>
    IfNewer,

    /// <summary>Never replace an existing entry.</summary>
    Never,
}
