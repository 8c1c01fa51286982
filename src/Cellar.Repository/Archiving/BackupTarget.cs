using Cellar.Repository.Platform;

namespace Cellar.Repository.Archiving;

/// <summary>
/// One path to read, and where it goes in the snapshot: the last <see cref="Depth"/> components of
/// <see cref="Path"/>. An absolute path keeps all of them (<c>/srv/data</c> → root → srv → data);
/// a relative one only its own (<c>sub/dir</c> from <c>/home/u</c> → root → sub → dir), as restic does.
/// </summary>
internal readonly record struct BackupTarget(RawPath Path, int Depth)
{
    /// <summary>The absolute file-system path of the snapshot entry <paramref name="level"/> components down (1 = the first below the root).</summary>
    public RawPath PathAt(int level)
    {
        var parts = Path.Split();
        var result = new RawPath("/"u8);
        for (var i = 0; i < parts.Count - Depth + level; i++)
        {
            result = result.Combine(parts[i]);
        }

        return result;
    }

    /// <summary>The names this target places in the snapshot, from the root down.</summary>
    public IReadOnlyList<RawPath> SnapshotNames()
    {
        var parts = Path.Split();
        return [.. parts.Skip(parts.Count - Depth)];
    }
}
