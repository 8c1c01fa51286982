namespace Cellar.Repository;

/// <summary>A blob named by its id and type (the same bytes may be stored once as each type).</summary>
public readonly record struct BlobHandle(Id Id, BlobType Type)
{
    public override string ToString() => $"{Type.ToString().ToLowerInvariant()} blob {Id}";
}
