using Cellar.Repository.Crypto;

namespace Cellar.Repository.Packs;

/// <summary>
/// A blob ready to be encrypted straight into its place in a pack: the bytes to encrypt (the
/// compressed form in a lent buffer, or the plaintext itself) and the lengths the pack header
/// needs. Disposing gives the compression buffer back.
/// </summary>
internal sealed class PreparedBlob : IDisposable
{
    private readonly BlobCompressor? _compressor;
    private BlobCompressor.Lease? _lease;

    public PreparedBlob(BlobHandle handle, ReadOnlyMemory<byte> payload, int uncompressedLength, BlobCompressor? compressor, BlobCompressor.Lease? lease)
    {
        Handle = handle;
        Payload = payload;
        UncompressedLength = uncompressedLength;
        _compressor = compressor;
        _lease = lease;
    }

    public BlobHandle Handle { get; }

    /// <summary>What gets encrypted: the compressed bytes, or the plaintext when not compressed.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The plaintext length when compressed, else 0.</summary>
    public int UncompressedLength { get; }

    /// <summary>Bytes the blob takes in the pack (IV, ciphertext, MAC).</summary>
    public int SealedLength => Payload.Length + MasterKey.Overhead;

    /// <summary>Encrypts the payload into <paramref name="destination"/> (exactly <see cref="SealedLength"/> bytes).</summary>
    public void SealInto(MasterKey key, Span<byte> destination) => key.Seal(Payload.Span, destination);

    public void Dispose()
    {
        var lease = Interlocked.Exchange(ref _lease, null);
        if (lease is not null)
        {
            _compressor!.Return(lease);
        }
    }
}
