using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Cellar.Repository.Crypto;

/// <summary>
/// AES-256 in counter mode, as Go's <c>cipher.NewCTR</c> does it: the 16-byte IV is a big-endian
/// 128-bit counter incremented once per block (carrying across all 128 bits). The key stream is made
/// in batches of 64 KiB: counter blocks are written with vector ops into a per-thread buffer, encrypted
/// with one ECB call, then XORed into the data with the widest vectors the machine has.
/// </summary>
internal static class AesCtr
{
    public const int BlockSize = 16;
    private const int BatchBytes = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_batch;

    /// <summary>XORs the key stream starting at <paramref name="iv"/> into <paramref name="input"/>, writing <paramref name="output"/> (may be the same memory or start before it, not inside it).</summary>
    /// <remarks><paramref name="aes"/> is not thread-safe: use one instance per thread.</remarks>
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

        // Work goes front to back, reading each piece of input before writing its output, so the
        // output may be the input itself or start before it, but not start inside it.
        if (input.Overlaps(output, out var shift) && shift > 0)
        {
            throw new ArgumentException("the output starts inside the input: it would overwrite data not yet read", nameof(output));
        }

        if (input.IsEmpty)
        {
            return;
        }

        var hi = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        // Counter blocks in the first half, key stream in the second; one buffer per thread, kept.
        var buffer = t_batch ??= new byte[2 * BatchBytes];
        var done = 0;
        while (done < input.Length)
        {
            var chunk = Math.Min(input.Length - done, BatchBytes);
            var bytes = RoundUp(chunk);
            var counters = buffer.AsSpan(0, bytes);
            var stream = buffer.AsSpan(BatchBytes, bytes);
            WriteCounters(counters, ref hi, ref lo);
            aes.EncryptEcb(counters, stream, PaddingMode.None);
            Xor(input.Slice(done, chunk), stream[..chunk], output.Slice(done, chunk));
            done += chunk;
        }
    }

    private static int RoundUp(int length) => (length + BlockSize - 1) & ~(BlockSize - 1);

    /// <summary>Fills <paramref name="counters"/> with consecutive big-endian 128-bit counter blocks starting at (hi, lo) and advances the counter past them.</summary>
    internal static void WriteCounters(Span<byte> counters, ref ulong hi, ref ulong lo)
    {
        var blocks = counters.Length / BlockSize;
        unchecked
        {
            // The vector path needs the low word not to wrap inside this batch; a wrap (once in 2^64
            // blocks, or when an IV starts near it) takes the scalar path, which carries into hi.
            if (Vector128.IsHardwareAccelerated && lo <= ulong.MaxValue - (ulong)blocks)
            {
                // Each lane holds (hi, lo) in native order; reversing the bytes of each 8-byte
                // lane gives the big-endian block.
                var swap = Vector128.Create((byte)7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
                var counter = Vector128.Create(hi, lo);
                var one = Vector128.Create(0UL, 1UL);
                ref var target = ref MemoryMarshal.GetReference(counters);
                for (var i = 0; i < blocks; i++)
                {
                    Vector128.Shuffle(counter.AsByte(), swap).StoreUnsafe(ref target, (nuint)(i * BlockSize));
                    counter += one;
                }

                lo += (ulong)blocks;
                return;
            }

            for (var i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(counters[(i * BlockSize)..], hi);
                BinaryPrimitives.WriteUInt64BigEndian(counters[((i * BlockSize) + 8)..], lo);
                lo++;
                if (lo == 0)
                {
                    hi++;
                }
            }
        }
    }

    /// <summary>destination = a XOR b, all the same length (destination may be a).</summary>
    internal static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        if (b.Length < a.Length || destination.Length < a.Length)
        {
            throw new ArgumentException("the XOR operands are shorter than the data");
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)a.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<byte>.Count <= length; i += (nuint)Vector512<byte>.Count)
            {
                (Vector512.LoadUnsafe(ref ra, i) ^ Vector512.LoadUnsafe(ref rb, i)).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<byte>.Count <= length; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref ra, i) ^ Vector256.LoadUnsafe(ref rb, i)).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<byte>.Count <= length; i += (nuint)Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref ra, i) ^ Vector128.LoadUnsafe(ref rb, i)).StoreUnsafe(ref rd, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref rd, i) = (byte)(Unsafe.Add(ref ra, i) ^ Unsafe.Add(ref rb, i));
        }
    }
}
