using System.Buffers;
using System.Buffers.Binary;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;

namespace Cellar.Repository.Packs;

/// <summary>
/// Builds one pack file in memory: the sealed blobs one after another, then the header (one entry
/// per blob: type, stored length, [uncompressed length,] id) encrypted, then the encrypted header's
/// length as 4 bytes little-endian. The pack's name is the SHA-256 of the whole file.
/// Not thread-safe: one writer per pack, filled by one consumer.
/// </summary>
internal sealed class PackWriter : IDisposable
{
    /// <summary>restic's current default pack size.</summary>
    public const int TargetSize = 16 * 1024 * 1024;

    private const int PlainEntrySize = 1 + 4 + Id.Size;
    private const int CompressedEntrySize = 1 + 4 + 4 + Id.Size;

    private readonly MasterKey _key;
    private readonly List<Entry> _blobs = [];
    private byte[] _buffer;
    private int _length;

    /// <param name="key">The repository's master key.</param>
    /// <param name="small">True for packs expected to stay small (trees of a small backup): start with a small buffer.</param>
    public PackWriter(MasterKey key, bool small = false)
    {
        _key = key;
        _buffer = small ? ArrayPool<byte>.Shared.Rent(256 * 1024) : PackBufferPool.Rent();
    }

    public int Count => _blobs.Count;

    /// <summary>Bytes of blob data so far (the header comes on top).</summary>
    public int Size => _length;

    public void Add(SealedBlob blob)
    {
        EnsureCapacity(blob.Length);
        blob.Span.CopyTo(_buffer.AsSpan(_length));
        _blobs.Add(new Entry(blob.Handle, _length, blob.Length, blob.UncompressedLength));
        _length += blob.Length;
    }

    /// <summary>Appends the header and returns the finished pack; the writer is then empty and unusable.</summary>
    public FinishedPack Finish()
    {
        var headerLength = 0;
        foreach (var blob in _blobs)
        {
            headerLength += blob.IsCompressed ? CompressedEntrySize : PlainEntrySize;
        }

        var header = ArrayPool<byte>.Shared.Rent(headerLength);
        try
        {
            var position = 0;
            foreach (var blob in _blobs)
            {
                var entry = header.AsSpan(position);
                entry[0] = (blob.Handle.Type, blob.IsCompressed) switch
                {
                    (BlobType.Data, false) => 0,
                    (BlobType.Tree, false) => 1,
                    (BlobType.Data, true) => 2,
                    _ => 3,
                };
                BinaryPrimitives.WriteUInt32LittleEndian(entry[1..], (uint)blob.Length);
                var idOffset = 5;
                if (blob.IsCompressed)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[5..], (uint)blob.UncompressedLength);
                    idOffset = 9;
                }

                blob.Handle.Id.CopyTo(entry[idOffset..]);
                position += idOffset + Id.Size;
            }

            var sealedLength = headerLength + MasterKey.Overhead;
            EnsureCapacity(sealedLength + 4);
            _key.Seal(header.AsSpan(0, headerLength), _buffer.AsSpan(_length));
            _length += sealedLength;
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), (uint)sealedLength);
            _length += 4;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }

        var buffer = _buffer;
        _buffer = [];
        var id = Id.Hash(buffer.AsSpan(0, _length));
        return new FinishedPack(id, buffer, _length, [.. _blobs.Select(b => new PackedBlob(b.Handle, id, b.Offset, b.Length, b.UncompressedLength))]);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ReturnBuffer(_buffer);
            _buffer = [];
        }
    }

    internal static void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length == PackBufferPool.BufferSize)
        {
            PackBufferPool.Return(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int extra)
    {
        var needed = checked(_length + extra);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = needed <= PackBufferPool.BufferSize ? PackBufferPool.Rent() : ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ReturnBuffer(_buffer);
        _buffer = bigger;
    }

    private readonly record struct Entry(BlobHandle Handle, int Offset, int Length, int UncompressedLength)
    {
        public bool IsCompressed => UncompressedLength != 0;
    }
}
