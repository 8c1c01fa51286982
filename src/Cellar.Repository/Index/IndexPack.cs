namespace Cellar.Repository.Index;

/// <summary>One pack as an index file lists it.</summary>
public sealed class IndexPack(Id id)
{
    public Id Id { get; } = id;
    public List<PackedBlob> Blobs { get; } = [];
}
