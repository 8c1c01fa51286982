namespace Cellar.Repository.Packs;

/// <summary>How data blobs are compressed in a format-v2 repository (restic's --compression).</summary>
public enum BlobCompression
{
    /// <summary>zstd at its default level (restic's "auto").</summary>
    Auto,

    /// <summary>Data blobs stored uncompressed; tree blobs are still compressed, as restic does.</summary>
    Off,

    /// <summary>zstd at its highest practical level: slow, smallest.</summary>
    Max,
}
