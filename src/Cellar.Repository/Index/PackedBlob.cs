using Cellar.Repository.Crypto;

namespace Cellar.Repository.Index;

/// <summary>Where a blob is stored: its pack, offset and encrypted length, and its uncompressed length when compressed (else 0).</summary>
internal readonly record struct PackedBlob(BlobHandle Blob, Id PackId, long Offset, int Length, int UncompressedLength)
{
    public Id Id => Blob.Id;
    public BlobType Type => Blob.Type;
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>The length of the blob's plaintext (what the id hashes).</summary>
    public int PlaintextLength => IsCompressed ? UncompressedLength : Length - MasterKey.Overhead;

    public long End => Offset + Length;
}
