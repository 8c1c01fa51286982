namespace Cellar.Repository.Browsing;

/// <summary>The counting modes of restic's <c>stats</c>.</summary>
public enum StatsMode
{
    /// <summary>Every entry of each snapshot and the size a restore would write (hard links once per snapshot).</summary>
    RestoreSize,

    /// <summary>Each file content once (by its blob list), with its size.</summary>
    FilesByContents,

    /// <summary>Each blob of each distinct file once, with its plaintext size.</summary>
    BlobsPerFile,

    /// <summary>Every blob the snapshots reference once, with its stored (encrypted, compressed) size.</summary>
    RawData,
}
