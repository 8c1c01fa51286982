namespace Cellar.Repository.Index;

/// <summary>One pack as an index file lists it.</summary>
internal sealed class IndexPack(Id id)
{
    public Id Id { get; } = id;
    public List<PackedBlob> Blobs { get; } = [];
}
