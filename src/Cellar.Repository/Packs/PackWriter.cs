using System.Buffers;
using System.Buffers.Binary;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;

namespace Cellar.Repository.Packs;

/// <summary>
/// Builds one pack file in memory: the sealed blobs one after another, then the header (one entry
/// per blob: type, stored length, [uncompressed length,] id) encrypted, then the encrypted header's
/// length as 4 bytes little-endian. The pack's name is the SHA-256 of the whole file.
/// Blobs are encrypted straight into the pack buffer by several threads at once: under the
/// caller's lock a blob reserves its place (<see cref="TryReserve"/>), outside it the blob is
/// encrypted into <see cref="Region"/>, then <see cref="Release"/>; once closed and released by
/// every writer, the pack is finished by one thread.
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
    private int _writers;
    private bool _closed;
    private bool _broken;

    /// <param name="key">The repository's master key.</param>
    /// <param name="small">True for packs expected to stay small (trees of a small backup): start with a small buffer.</param>
    public PackWriter(MasterKey key, bool small = false)
    {
        _key = key;
        _buffer = small ? ArrayPool<byte>.Shared.Rent(256 * 1024) : PackBufferPool.Rent();
    }

    public int Count => _blobs.Count;

    /// <summary>Bytes of blob data so far, reserved ones included (the header comes on top).</summary>
    public int Size => _length;

    /// <summary>True when a blob failed to be written in; the pack must not be stored.</summary>
    public bool IsBroken => _broken;

    /// <summary>
    /// Reserves room for a sealed blob and lists it; returns its offset, or -1 when the buffer would
    /// have to grow while other blobs are still being written into it (then start another pack).
    /// Call under the caller's lock.
    /// </summary>
    public int TryReserve(BlobHandle handle, int sealedLength, int uncompressedLength)
    {
        if (_closed)
        {
            throw new InvalidOperationException("The pack is closed.");
        }

        if (checked(_length + sealedLength) > _buffer.Length && _writers > 0)
        {
            return -1;
        }

        EnsureCapacity(sealedLength);
        var offset = _length;
        _blobs.Add(new Entry(handle, offset, sealedLength, uncompressedLength));
        _length += sealedLength;
        _writers++;
        return offset;
    }

    /// <summary>The reserved place of a blob, to encrypt into (outside the lock).</summary>
    public Span<byte> Region(int offset, int length) => _buffer.AsSpan(offset, length);

    /// <summary>A writer is done with its region (under the lock); true when the pack is now closed and complete.</summary>
    public bool Release(bool succeeded)
    {
        _writers--;
        _broken |= !succeeded;
        return _closed && _writers == 0;
    }

    /// <summary>No more blobs (under the lock); true when no writer is still busy, so it can be finished now.</summary>
    public bool Close()
    {
        _closed = true;
        return _writers == 0;
    }

    /// <summary>Appends the header and returns the finished pack; the writer is then empty and unusable.</summary>
    public FinishedPack Finish()
    {
        if (_writers != 0 || _broken)
        {
            throw new InvalidOperationException("The pack still has blobs being written, or one of them failed.");
        }

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
