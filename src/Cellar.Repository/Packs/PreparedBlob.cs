using Cellar.Repository.Crypto;

namespace Cellar.Repository.Packs;

/// <summary>
/// A blob ready to be encrypted: the bytes to encrypt (the compressed form in a lent buffer, or the
/// plaintext itself), the lengths the pack header needs, and the lent buffer the sealed form goes
/// to. Disposing gives the buffer back.
/// </summary>
internal sealed class PreparedBlob : IDisposable
{
    private readonly BlobCompressor _buffers;
    private BlobCompressor.Lease? _lease;

    public PreparedBlob(BlobHandle handle, ReadOnlyMemory<byte> payload, int uncompressedLength, BlobCompressor buffers, BlobCompressor.Lease lease)
    {
        Handle = handle;
        Payload = payload;
        UncompressedLength = uncompressedLength;
        _buffers = buffers;
        _lease = lease;
    }

    public BlobHandle Handle { get; }

    /// <summary>What gets encrypted: the compressed bytes (in the lent buffer, after room for the IV), or the plaintext when not compressed.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The plaintext length when compressed, else 0.</summary>
    public int UncompressedLength { get; }

    /// <summary>Bytes the blob takes in the pack (IV, ciphertext, MAC).</summary>
    public int SealedLength => Payload.Length + MasterKey.Overhead;

    /// <summary>
    /// Encrypts the payload into the lent buffer (in place when it is the compressed form there) and
    /// returns the sealed bytes, valid until disposal. Call once.
    /// </summary>
    public ReadOnlySpan<byte> Seal(MasterKey key)
    {
        var output = (_lease ?? throw new ObjectDisposedException(nameof(PreparedBlob))).Output.AsSpan(0, SealedLength);
        key.Seal(Payload.Span, output);
        return output;
    }

    public void Dispose()
    {
        var lease = Interlocked.Exchange(ref _lease, null);
        if (lease is not null)
        {
            _buffers.Return(lease);
        }
    }
}
