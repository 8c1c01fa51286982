using System.Buffers.Binary;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Packs;

/// <summary>
/// A pack's header: at the end of the pack, the encrypted list of its blobs followed by the
/// header's encrypted length (4 bytes, little endian). Entries: type (0 data, 1 tree, 2/3 the same
/// compressed), encrypted length, uncompressed length for compressed types, id.
/// </summary>
internal static class PackHeader
{
    public const int PlainEntrySize = 1 + 4 + 32;
    public const int CompressedEntrySize = 1 + 4 + 4 + 32;
    private const int FirstReadSize = 16 * 1024;

    /// <summary>Reads and parses the header of a pack stored in the backend.</summary>
    public static async Task<List<PackedBlob>> ReadAsync(IBackend backend, Id packId, long packSize, MasterKey key, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Pack, packId.ToString());
        if (packSize < 4 + MasterKey.Overhead)
        {
            throw new RepositoryCorruptException($"pack {packId} is {packSize} bytes, too small to hold a header");
        }

        var tailLength = (int)Math.Min(packSize, FirstReadSize);
        var tail = await backend.LoadAsync(handle, packSize - tailLength, tailLength, cancellationToken).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(tail.Length - 4));
        if (headerLength < MasterKey.Overhead || headerLength + 4L > packSize)
        {
            throw new RepositoryCorruptException($"pack {packId} has a header length of {headerLength} bytes that does not fit its size of {packSize} bytes");
        }

        ReadOnlyMemory<byte> header;
        if (headerLength + 4 <= tail.Length)
        {
            header = tail.AsMemory(tail.Length - 4 - (int)headerLength, (int)headerLength);
        }
        else
        {
            header = await backend.LoadAsync(handle, packSize - 4 - headerLength, (int)headerLength, cancellationToken).ConfigureAwait(false);
        }

        return Parse(header.Span, packId, key, packSize);
    }

    /// <summary>Decrypts and parses an encrypted header (without the trailing length).</summary>
    public static List<PackedBlob> Parse(ReadOnlySpan<byte> encryptedHeader, Id packId, MasterKey key, long packSize)
    {
        var plain = new byte[encryptedHeader.Length - MasterKey.Overhead];
        if (!key.TryOpen(encryptedHeader, plain))
        {
            throw new RepositoryCorruptException($"pack {packId}: the header fails its MAC check (damaged pack)");
        }

        var blobs = new List<PackedBlob>(plain.Length / PlainEntrySize);
        long offset = 0;
        var span = plain.AsSpan();
        while (!span.IsEmpty)
        {
            var type = span[0];
            var compressed = type is 2 or 3;
            var size = compressed ? CompressedEntrySize : PlainEntrySize;
            if (type > 3 || span.Length < size)
            {
                throw new RepositoryCorruptException($"pack {packId}: the header holds an invalid entry (type {type})");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[1..]);
            var uncompressed = compressed ? BinaryPrimitives.ReadUInt32LittleEndian(span[5..]) : 0;
            var id = new Id(span.Slice(size - 32, 32));
            if (length < MasterKey.Overhead || length > int.MaxValue || uncompressed > int.MaxValue)
            {
                throw new RepositoryCorruptException($"pack {packId}: blob {id} has an invalid length {length}");
            }

            blobs.Add(new PackedBlob(new BlobHandle(id, (type & 1) == 1 ? BlobType.Tree : BlobType.Data), packId, offset, (int)length, (int)uncompressed));
            offset += length;
            span = span[size..];
        }

        var expectedSize = offset + encryptedHeader.Length + 4;
        if (expectedSize != packSize)
        {
            throw new RepositoryCorruptException($"pack {packId}: the header describes {expectedSize} bytes but the pack has {packSize}");
        }

        return blobs;
    }
}
