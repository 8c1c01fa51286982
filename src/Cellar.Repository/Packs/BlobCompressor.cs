using System.Collections.Concurrent;
using ZstdNet;

namespace Cellar.Repository.Packs;

/// <summary>
/// zstd compression of blobs, and the buffers blobs are sealed in. Native compressors (not
/// thread-safe, a few MB each, made on first use) and their output buffers are lent out per call
/// from a small pool, so their number follows the number of concurrent callers, not the number of
/// threads async code happens to run on. An output buffer has room for the sealed blob (IV before
/// the compressed bytes, MAC after), so a blob is compressed and encrypted in one buffer.
/// </summary>
internal sealed class BlobCompressor : IDisposable
{
    /// <summary>restic's "max" maps to zstd's best ratio; level 19 is the highest without the ultra memory cost.</summary>
    private const int MaxLevel = 19;

    private readonly ConcurrentBag<Lease> _free = [];
    private readonly int _level;

    public BlobCompressor(BlobCompression mode)
    {
        Mode = mode;
        _level = mode == BlobCompression.Max ? MaxLevel : CompressionOptions.DefaultCompressionLevel;
    }

    public BlobCompression Mode { get; }

    public static int MaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>A compressor with an output buffer big enough for <paramref name="inputLength"/> compressed and sealed; return it with <see cref="Return"/>.</summary>
    public Lease Rent(int inputLength)
    {
        if (!_free.TryTake(out var lease))
        {
            lease = new Lease(_level);
        }

        var needed = MaxCompressedLength(inputLength) + Crypto.MasterKey.Overhead;
        if (lease.Output.Length < needed)
        {
            lease.Output = GC.AllocateUninitializedArray<byte>(needed);
        }

        return lease;
    }

    public void Return(Lease lease) => _free.Add(lease);

    public void Dispose()
    {
        while (_free.TryTake(out var lease))
        {
            lease.Dispose();
        }
    }

    /// <summary>One native compressor (made on first use) and its output buffer, used by one caller at a time.</summary>
    internal sealed class Lease(int level) : IDisposable
    {
        private Compressor? _compressor;

        public byte[] Output { get; set; } = [];

        /// <summary>Compresses into <see cref="Output"/> after room for the IV (at <see cref="Crypto.MasterKey.IvSize"/>); returns the compressed length.</summary>
        public int Compress(ReadOnlySpan<byte> source)
        {
            _compressor ??= new Compressor(new CompressionOptions(level));
            return _compressor.Wrap(source, Output.AsSpan(Crypto.MasterKey.IvSize));
        }

        public void Dispose() => _compressor?.Dispose();
    }
}
