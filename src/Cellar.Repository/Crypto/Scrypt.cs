using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Cellar.Repository.Crypto;

/// <summary>
/// The scrypt key derivation function (RFC 7914) over .NET's PBKDF2-HMAC-SHA256. With p >= 2 and
/// 256-bit vectors, lanes run two at a time on a vectorised Salsa20/8 core; a single lane runs on
/// the scalar core (as fast as a 128-bit vector one: Salsa20/8 is a chain of dependent steps).
/// </summary>
/// <remarks>
/// The paired path keeps each 64-byte Salsa20 block in memory as its four diagonals (words
/// 0 5 10 15, 4 9 14 3, 8 13 2 7, 12 1 6 11), one 128-bit half of a vector each, so one step works
/// on four columns (or, after rotating three of the vectors, four rows) of both lanes at once. The
/// words are put into that order when the PBKDF2 output is loaded and back when it is stored; XOR
/// and the integerify word (word 0 stays first) do not depend on the order.
/// </remarks>
internal static class Scrypt
{
    /// <summary>Position k of a block in diagonal order holds the word DiagonalOrder[k] of the block.</summary>
    private static ReadOnlySpan<byte> DiagonalOrder => [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11];

    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length) =>
        DeriveKey(password, salt, n, r, p, length, allowVector: true);

    /// <summary>As above; <paramref name="allowVector"/> false forces the scalar lane (benchmark baseline, tests).</summary>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length, bool allowVector)
    {
        if (n < 2 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException($"scrypt N must be a power of two above 1, not {n}", nameof(n));
        }

        if (r < 1 || p < 1 || (long)r * p >= 1 << 30 || (long)128 * r * n > int.MaxValue)
        {
            throw new ArgumentException($"scrypt parameters r={r}, p={p}, N={n} are out of range");
        }

        var blockBytes = 128 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * blockBytes);
        var words = 32 * r;
        // The 128·r·N bytes of V (32 MiB per lane with restic's parameters), with X and a scratch block, live
        // outside the GC heap and are freed at once, so they do not stay resident as garbage. With
        // p >= 2 and 256-bit vectors two lanes run side by side (one in each 128-bit half), which
        // costs little more than one because Salsa20/8 is a chain of dependent steps.
        var pairs = allowVector && p >= 2 && Vector256.IsHardwareAccelerated;
        var laneWords = checked((nuint)words * (nuint)(n + 2));
        var totalWords = pairs ? laneWords * 2 : laneWords;
        unsafe
        {
            var memory = (uint*)NativeMemory.AlignedAlloc(totalWords * sizeof(uint), 64);
            try
            {
                var lane0 = memory;
                var lane1 = memory + laneWords;
                var i = 0;
                for (; pairs && i + 1 < p; i += 2)
                {
                    var chunk0 = b.AsSpan(i * blockBytes, blockBytes);
                    var chunk1 = b.AsSpan((i + 1) * blockBytes, blockBytes);
                    LoadDiagonal(chunk0, lane0, words);
                    LoadDiagonal(chunk1, lane1, words);
                    var result = RoMixPair(lane0, lane1, n, r);
                    StoreDiagonal(result ? lane0 + words : lane0, chunk0, words);
                    StoreDiagonal(result ? lane1 + words : lane1, chunk1, words);
                }

                if (i < p)
                {
                    var x = new uint[words];
                    var y = new uint[words];
                    var v = new Span<uint>(lane0, checked(words * n));
                    for (; i < p; i++)
                    {
                        var chunk = b.AsSpan(i * blockBytes, blockBytes);
                        for (var k = 0; k < words; k++)
                        {
                            x[k] = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(k * 4)..]);
                        }

                        RoMix(x, y, v, n, r);
                        for (var k = 0; k < words; k++)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(chunk[(k * 4)..], x[k]);
                        }
                    }
                }

                NativeMemory.Clear(memory, totalWords * sizeof(uint));
            }
            finally
            {
                NativeMemory.AlignedFree(memory);
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
    }

    private static unsafe void LoadDiagonal(ReadOnlySpan<byte> bytes, uint* x, int words)
    {
        var order = DiagonalOrder;
        for (var block = 0; block < words; block += 16)
        {
            for (var k = 0; k < 16; k++)
            {
                x[block + k] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[((block + order[k]) * 4)..]);
            }
        }
    }

    private static unsafe void StoreDiagonal(uint* x, Span<byte> bytes, int words)
    {
        var order = DiagonalOrder;
        for (var block = 0; block < words; block += 16)
        {
            for (var k = 0; k < 16; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes[((block + order[k]) * 4)..], x[block + k]);
            }
        }
    }

    /// <summary>
    /// ROMix of two lanes at once; each lane is X, Y and V one after the other. Returns true when
    /// the results are in the Y blocks, false when in the X blocks.
    /// </summary>
    // Fully optimised at once: a command runs this loop once, too soon for tiered compilation to help.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool RoMixPair(uint* lane0, uint* lane1, int n, int r)
    {
        var words = (nuint)(32 * r);
        var count = (nuint)n;
        uint* x0 = lane0, y0 = lane0 + words, v0 = lane0 + (2 * words);
        uint* x1 = lane1, y1 = lane1 + words, v1 = lane1 + (2 * words);
        Buffer.MemoryCopy(x0, v0, words * sizeof(uint), words * sizeof(uint));
        Buffer.MemoryCopy(x1, v1, words * sizeof(uint), words * sizeof(uint));
        for (nuint i = 0; i + 1 < count; i++)
        {
            BlockMixPair(v0 + (i * words), null, v0 + ((i + 1) * words), v1 + (i * words), null, v1 + ((i + 1) * words), r);
        }

        BlockMixPair(v0 + ((count - 1) * words), null, x0, v1 + ((count - 1) * words), null, x1, r);
        var mask = (uint)(n - 1);
        var integerify = (nuint)((2 * r) - 1) * 16;
        var swapped = false;
        for (nuint i = 0; i < count; i++)
        {
            var j0 = x0[integerify] & mask;
            var j1 = x1[integerify] & mask;
            BlockMixPair(x0, v0 + (j0 * words), y0, x1, v1 + (j1 * words), y1, r);
            var swap = x0;
            x0 = y0;
            y0 = swap;
            swap = x1;
            x1 = y1;
            y1 = swap;
            swapped = !swapped;
        }

        return swapped;
    }

    /// <summary>
    /// Two independent BlockMix computations with Salsa20/8, one in each 128-bit half: source XOR
    /// other (when not null) into destination, which must not overlap the inputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BlockMixPair(uint* source0, uint* other0, uint* destination0, uint* source1, uint* other1, uint* destination1, int r)
    {
        var blocks = (nuint)(2 * r);
        var half = (nuint)r;
        var last = (blocks - 1) * 16;
        var a = Load(source0 + last, source1 + last);
        var b = Load(source0 + last + 4, source1 + last + 4);
        var c = Load(source0 + last + 8, source1 + last + 8);
        var d = Load(source0 + last + 12, source1 + last + 12);
        if (other0 != null)
        {
            a ^= Load(other0 + last, other1 + last);
            b ^= Load(other0 + last + 4, other1 + last + 4);
            c ^= Load(other0 + last + 8, other1 + last + 8);
            d ^= Load(other0 + last + 12, other1 + last + 12);
        }

        for (nuint i = 0; i < blocks; i++)
        {
            var s0 = source0 + (i * 16);
            var s1 = source1 + (i * 16);
            a ^= Load(s0, s1);
            b ^= Load(s0 + 4, s1 + 4);
            c ^= Load(s0 + 8, s1 + 8);
            d ^= Load(s0 + 12, s1 + 12);
            if (other0 != null)
            {
                var o0 = other0 + (i * 16);
                var o1 = other1 + (i * 16);
                a ^= Load(o0, o1);
                b ^= Load(o0 + 4, o1 + 4);
                c ^= Load(o0 + 8, o1 + 8);
                d ^= Load(o0 + 12, o1 + 12);
            }

            Vector256<uint> a0 = a, b0 = b, c0 = c, d0 = d;
            for (var round = 0; round < 8; round++)
            {
                // Columns when the diagonals are in place, rows after the rotation below.
                b ^= RotateLeft(a + d, 7);
                c ^= RotateLeft(b + a, 9);
                d ^= RotateLeft(c + b, 13);
                a ^= RotateLeft(d + c, 18);
                var t = Vector256.Shuffle(d, Vector256.Create(1u, 2, 3, 0, 5, 6, 7, 4));
                c = Vector256.Shuffle(c, Vector256.Create(2u, 3, 0, 1, 6, 7, 4, 5));
                d = Vector256.Shuffle(b, Vector256.Create(3u, 0, 1, 2, 7, 4, 5, 6));
                b = t;
            }

            a += a0;
            b += b0;
            c += c0;
            d += d0;
            var offset = (((i & 1) * half) + (i >> 1)) * 16;
            Store(a, destination0 + offset, destination1 + offset);
            Store(b, destination0 + offset + 4, destination1 + offset + 4);
            Store(c, destination0 + offset + 8, destination1 + offset + 8);
            Store(d, destination0 + offset + 12, destination1 + offset + 12);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Load(uint* lower, uint* upper) =>
        Vector256.Create(Vector128.Load(lower), Vector128.Load(upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector256<uint> value, uint* lower, uint* upper)
    {
        value.GetLower().Store(lower);
        value.GetUpper().Store(upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> value, [System.Diagnostics.CodeAnalysis.ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 32 - count);

    private static void RoMix(uint[] x, uint[] y, Span<uint> v, int n, int r)
    {
        var words = 32 * r;
        for (var i = 0; i < n; i++)
        {
            x.AsSpan(0, words).CopyTo(v.Slice(i * words, words));
            BlockMix(x, y, r);
        }

        for (var i = 0; i < n; i++)
        {
            var j = (int)(x[(2 * r - 1) * 16] & (uint)(n - 1));
            var vj = v.Slice(j * words, words);
            for (var k = 0; k < words; k++)
            {
                x[k] ^= vj[k];
            }

            BlockMix(x, y, r);
        }
    }

    /// <summary>BlockMix with Salsa20/8; the result replaces <paramref name="b"/> (y is scratch).</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> x = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(x);
        for (var i = 0; i < 2 * r; i++)
        {
            var bi = b.AsSpan(i * 16, 16);
            for (var k = 0; k < 16; k++)
            {
                x[k] ^= bi[k];
            }

            Salsa208(x);
            // Even blocks go to the first half, odd blocks to the second.
            var target = ((i & 1) == 0 ? i / 2 : r + (i / 2)) * 16;
            x.CopyTo(y.AsSpan(target, 16));
        }

        Array.Copy(y, b, 32 * r);
    }

    private static void Salsa208(Span<uint> b)
    {
        unchecked
        {
            uint x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7],
                x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
            for (var i = 0; i < 8; i += 2)
            {
                x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
                x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
                x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
                x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
                x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
                x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
                x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
                x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);

                x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
                x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
                x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
                x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
                x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
                x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
                x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
                x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
            }

            b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
            b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
        }
    }
}
