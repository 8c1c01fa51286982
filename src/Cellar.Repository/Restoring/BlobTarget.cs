using Cellar.Repository.Index;

namespace Cellar.Repository.Restoring;

/// <summary>One blob a restore needs and every (file, offset) it goes to.</summary>
internal sealed class BlobTarget(PackedBlob blob)
{
    public PackedBlob Blob { get; } = blob;

    public List<(PlannedFile File, long Offset)> Writes { get; } = [];
}
