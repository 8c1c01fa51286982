using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Packs;

/// <summary>
/// Builds one pack file in a temporary file (<see cref="PackTempFile"/>), as restic does: the
/// sealed blobs one after another, then the header (one entry per blob: type, stored length,
/// [uncompressed length,] id) encrypted, then the encrypted header's length as 4 bytes
/// little-endian. The pack's name is the SHA-256 of the whole file. Only the header's list is
/// held in memory, so a pack of any size costs the process a few bytes per blob.
/// Several threads write at once: under the caller's lock a blob reserves its place
/// (<see cref="Reserve"/>), outside it the sealed bytes are written there (<see cref="Write"/>, a
/// positioned write), then <see cref="Release"/>; once closed and released by every writer, the
/// pack is finished by one thread.
/// </summary>
internal sealed class PackWriter : IDisposable
{
    /// <summary>restic's current default pack size.</summary>
    public const int TargetSize = 16 * 1024 * 1024;

    private const int PlainEntrySize = 1 + 4 + Id.Size;
    private const int CompressedEntrySize = 1 + 4 + 4 + Id.Size;
    private const int HashBufferSize = 256 * 1024;

    private readonly MasterKey _key;
    private readonly List<Entry> _blobs = [];
    private SafeFileHandle? _file;
    private long _length;
    private int _writers;
    private bool _closed;
    private bool _broken;

    /// <param name="key">The repository's master key.</param>
    /// <param name="tempDirectory">Where the temporary file goes; null for the system's temporary folder.</param>
    public PackWriter(MasterKey key, string? tempDirectory = null)
    {
        _key = key;
        _file = PackTempFile.Create(tempDirectory);
    }

    public int Count => _blobs.Count;

    /// <summary>Bytes of blob data so far, reserved ones included (the header comes on top).</summary>
    public long Size => _length;

    /// <summary>True when a blob failed to be written in; the pack must not be stored.</summary>
    public bool IsBroken => _broken;

    /// <summary>Reserves room for a sealed blob, lists it and returns its offset. Call under the caller's lock.</summary>
    public long Reserve(BlobHandle handle, int sealedLength, int uncompressedLength)
    {
        if (_closed)
        {
            throw new InvalidOperationException("The pack is closed.");
        }

        var offset = _length;
        _blobs.Add(new Entry(handle, offset, sealedLength, uncompressedLength));
        _length += sealedLength;
        _writers++;
        return offset;
    }

    /// <summary>Writes a reserved blob's sealed bytes at its offset (outside the lock; thread-safe).</summary>
    public void Write(long offset, ReadOnlySpan<byte> sealedBytes) => RandomAccess.Write(File, sealedBytes, offset);

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

    /// <summary>
    /// Appends the header, hashes the file and returns the finished pack, which now owns the
    /// temporary file; the writer is then empty and unusable.
    /// </summary>
    public FinishedPack Finish()
    {
        if (_writers != 0 || _broken)
        {
            throw new InvalidOperationException("The pack still has blobs being written, or one of them failed.");
        }

        var file = File;
        var headerLength = 0;
        foreach (var blob in _blobs)
        {
            headerLength += blob.IsCompressed ? CompressedEntrySize : PlainEntrySize;
        }

        var sealedLength = headerLength + MasterKey.Overhead;
        var header = ArrayPool<byte>.Shared.Rent(headerLength);
        var trailer = ArrayPool<byte>.Shared.Rent(sealedLength + 4);
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

            _key.Seal(header.AsSpan(0, headerLength), trailer.AsSpan(0, sealedLength));
            BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(sealedLength), (uint)sealedLength);
            RandomAccess.Write(file, trailer.AsSpan(0, sealedLength + 4), _length);
            _length += sealedLength + 4;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
            ArrayPool<byte>.Shared.Return(trailer);
        }

        var id = HashFile(file, _length);
        _file = null;
        return new FinishedPack(id, file, _length, [.. _blobs.Select(b => new PackedBlob(b.Handle, id, b.Offset, b.Length, b.UncompressedLength))]);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private SafeFileHandle File => _file ?? throw new ObjectDisposedException(nameof(PackWriter));

    /// <summary>SHA-256 of the file's first <paramref name="length"/> bytes (read back from the page cache).</summary>
    private static Id HashFile(SafeFileHandle file, long length)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            long position = 0;
            while (position < length)
            {
                var want = (int)Math.Min(HashBufferSize, length - position);
                var read = RandomAccess.Read(file, buffer.AsSpan(0, want), position);
                if (read <= 0)
                {
                    throw new IOException($"the temporary pack file ended at {position} of {length} bytes");
                }

                sha.AppendData(buffer, 0, read);
                position += read;
            }

            Span<byte> digest = stackalloc byte[Id.Size];
            sha.GetHashAndReset(digest);
            return new Id(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct Entry(BlobHandle Handle, long Offset, int Length, int UncompressedLength)
    {
        public bool IsCompressed => UncompressedLength != 0;
    }
}
