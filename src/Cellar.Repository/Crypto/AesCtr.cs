using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cellar.Repository.Crypto;

/// <summary>
/// AES-256 in counter mode, as Go's <c>cipher.NewCTR</c> does it: the 16-byte IV is a big-endian
/// 128-bit counter incremented once per block. The key stream is made by encrypting batches of
/// counter blocks with one ECB call, then XORed into the data with wide vectors.
/// </summary>
internal static class AesCtr
{
    public const int BlockSize = 16;
    private const int BatchBlocks = 256;

    /// <summary>XORs the key stream starting at <paramref name="iv"/> into <paramref name="input"/>, writing <paramref name="output"/> (may alias).</summary>
    public static void Transform(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("the CTR IV is 16 bytes", nameof(iv));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("the output is shorter than the input", nameof(output));
        }

        var hi = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        Span<byte> counters = stackalloc byte[BatchBlocks * BlockSize];
        Span<byte> stream = stackalloc byte[BatchBlocks * BlockSize];
        var done = 0;
        while (done < input.Length)
        {
            var chunk = Math.Min(input.Length - done, counters.Length);
            var blocks = (chunk + BlockSize - 1) / BlockSize;
            for (var i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(counters[(i * BlockSize)..], hi);
                BinaryPrimitives.WriteUInt64BigEndian(counters[((i * BlockSize) + 8)..], lo);
                unchecked
                {
                    lo++;
                    if (lo == 0)
                    {
                        hi++;
                    }
                }
            }

            var bytes = blocks * BlockSize;
            aes.EncryptEcb(counters[..bytes], stream[..bytes], PaddingMode.None);
            Xor(input.Slice(done, chunk), stream[..chunk], output.Slice(done, chunk));
            done += chunk;
        }
    }

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<byte>.Count)
        {
            var va = MemoryMarshal.Cast<byte, Vector<byte>>(a);
            var vb = MemoryMarshal.Cast<byte, Vector<byte>>(b);
            var vd = MemoryMarshal.Cast<byte, Vector<byte>>(destination);
            for (var v = 0; v < va.Length; v++)
            {
                vd[v] = va[v] ^ vb[v];
            }

            i = va.Length * Vector<byte>.Count;
        }

        for (; i < a.Length; i++)
        {
            destination[i] = (byte)(a[i] ^ b[i]);
        }
    }
}
