namespace Cellar.Repository.Copying;

/// <summary>What a copy did: snapshots copied (source id → new id), skipped as already present (source id → existing copy), and blobs added.</summary>
public sealed record CopyResult(
    IReadOnlyList<(Model.Snapshot Source, Id Copy)> Copied,
    IReadOnlyList<(Model.Snapshot Source, Id Existing)> Skipped,
    int BlobsAdded,
    long BytesAdded);
