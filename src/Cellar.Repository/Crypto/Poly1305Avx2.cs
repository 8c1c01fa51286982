using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cellar.Repository.Crypto;

/// <summary>
/// Poly1305's bulk work four blocks at a time with AVX2: five 26-bit limbs per lane, each lane
/// accumulating every fourth block with Horner steps by r^4, and the lanes finally weighted by
/// r^4, r^3, r^2, r and summed. Only multiplications, additions, shifts and masks: no branch or
/// memory access depends on the key or the data.
/// </summary>
internal static class Poly1305Avx2
{
    /// <summary>Bytes one step consumes.</summary>
    public const int ChunkSize = 64;
    private const ulong Mask26 = 0x3ffffff;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Computes Σ m_i·r^(n-i) over the <paramref name="message"/>'s full 16-byte blocks (its length a
    /// positive multiple of 64) from a zero accumulator, returned partially reduced as
    /// h0 + h1·2^64 + h2·2^128 with h2 ≤ 4.
    /// </summary>
    public static void Blocks(ReadOnlySpan<byte> message, ulong r0, ulong r1, out ulong h0, out ulong h1, out ulong h2)
    {
        if (message.Length == 0 || message.Length % ChunkSize != 0)
        {
            throw new ArgumentException("the vector path takes whole 64-byte chunks", nameof(message));
        }

        unchecked
        {
            // r in 26-bit limbs and its powers up to r^4.
            Span<ulong> p1 = stackalloc ulong[5];
            Span<ulong> p2 = stackalloc ulong[5];
            Span<ulong> p3 = stackalloc ulong[5];
            Span<ulong> p4 = stackalloc ulong[5];
            p1[0] = r0 & Mask26;
            p1[1] = (r0 >> 26) & Mask26;
            p1[2] = ((r0 >> 52) | (r1 << 12)) & Mask26;
            p1[3] = (r1 >> 14) & Mask26;
            p1[4] = r1 >> 40;
            MultiplyScalar(p1, p1, p2);
            MultiplyScalar(p2, p1, p3);
            MultiplyScalar(p2, p2, p4);

            // The loop multiplies every lane by r^4.
            var k0 = Vector256.Create(p4[0]);
            var k1 = Vector256.Create(p4[1]);
            var k2 = Vector256.Create(p4[2]);
            var k3 = Vector256.Create(p4[3]);
            var k4 = Vector256.Create(p4[4]);

            ref var start = ref MemoryMarshal.GetReference(message);
            Load(ref start, out var a0, out var a1, out var a2, out var a3, out var a4);
            for (var offset = ChunkSize; offset < message.Length; offset += ChunkSize)
            {
                Multiply(ref a0, ref a1, ref a2, ref a3, ref a4, k0, k1, k2, k3, k4);
                Load(ref Unsafe.Add(ref start, offset), out var m0, out var m1, out var m2, out var m3, out var m4);
                a0 += m0; a1 += m1; a2 += m2; a3 += m3; a4 += m4;
            }

            // Lanes hold blocks 0, 2, 1, 3 of each chunk (the order Load's unpack leaves them in),
            // so they are weighted by r^4, r^2, r^3, r^1.
            Multiply(
                ref a0, ref a1, ref a2, ref a3, ref a4,
                Vector256.Create(p4[0], p2[0], p3[0], p1[0]),
                Vector256.Create(p4[1], p2[1], p3[1], p1[1]),
                Vector256.Create(p4[2], p2[2], p3[2], p1[2]),
                Vector256.Create(p4[3], p2[3], p3[3], p1[3]),
                Vector256.Create(p4[4], p2[4], p3[4], p1[4]));

            var l0 = Sum(a0);
            var l1 = Sum(a1);
            var l2 = Sum(a2);
            var l3 = Sum(a3);
            var l4 = Sum(a4);

            // Carry (limbs then stay below 2^27), then repack into 64-bit words.
            var c = l0 >> 26; l0 &= Mask26; l1 += c;
            c = l1 >> 26; l1 &= Mask26; l2 += c;
            c = l2 >> 26; l2 &= Mask26; l3 += c;
            c = l3 >> 26; l3 &= Mask26; l4 += c;
            c = l4 >> 26; l4 &= Mask26; l0 += c * 5;
            c = l0 >> 26; l0 &= Mask26; l1 += c;

            var w0 = l0 + (l1 << 26);
            var t = l2 << 52;
            h0 = w0 + t;
            c = Carry(h0, t);
            var w1 = (l2 >> 12) + (l3 << 14) + c;
            t = l4 << 40;
            h1 = w1 + t;
            c = Carry(h1, t);
            h2 = (l4 >> 24) + c;

            // Fold what is at 2^130 and above once more so h2 ≤ 4.
            var fold = (h2 >> 2) * 5;
            h2 &= 3;
            h0 += fold;
            c = Carry(h0, fold);
            h1 += c;
            h2 += Carry(h1, c);
        }
    }

    /// <summary>Reads four 16-byte blocks into 26-bit limbs (with the 2^128 pad bit); lanes get blocks 0, 2, 1, 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ref byte source, out Vector256<ulong> m0, out Vector256<ulong> m1, out Vector256<ulong> m2, out Vector256<ulong> m3, out Vector256<ulong> m4)
    {
        var mask = Vector256.Create(Mask26);
        var first = Vector256.LoadUnsafe(ref source).AsUInt64();
        var second = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 32)).AsUInt64();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the AVX2 Poly1305 path assumes little-endian memory");
        }

        var low = Avx2.UnpackLow(first, second);   // first words of blocks 0, 2, 1, 3
        var high = Avx2.UnpackHigh(first, second); // second words of the same blocks
        m0 = low & mask;
        m1 = (low >> 26) & mask;
        m2 = ((low >> 52) | (high << 12)) & mask;
        m3 = (high >> 14) & mask;
        m4 = (high >> 40) | Vector256.Create(1UL << 24);
    }

    /// <summary>a = a·k mod 2^130 - 5, limbs carried back below about 2^26.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply(
        ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3, ref Vector256<ulong> a4,
        Vector256<ulong> k0, Vector256<ulong> k1, Vector256<ulong> k2, Vector256<ulong> k3, Vector256<ulong> k4)
    {
        var s1 = k1 + (k1 << 2);
        var s2 = k2 + (k2 << 2);
        var s3 = k3 + (k3 << 2);
        var s4 = k4 + (k4 << 2);

        var d0 = Mul(a0, k0) + Mul(a1, s4) + Mul(a2, s3) + Mul(a3, s2) + Mul(a4, s1);
        var d1 = Mul(a0, k1) + Mul(a1, k0) + Mul(a2, s4) + Mul(a3, s3) + Mul(a4, s2);
        var d2 = Mul(a0, k2) + Mul(a1, k1) + Mul(a2, k0) + Mul(a3, s4) + Mul(a4, s3);
        var d3 = Mul(a0, k3) + Mul(a1, k2) + Mul(a2, k1) + Mul(a3, k0) + Mul(a4, s4);
        var d4 = Mul(a0, k4) + Mul(a1, k3) + Mul(a2, k2) + Mul(a3, k1) + Mul(a4, k0);

        var mask = Vector256.Create(Mask26);
        var c = d0 >> 26; d0 &= mask; d1 += c;
        c = d1 >> 26; d1 &= mask; d2 += c;
        c = d2 >> 26; d2 &= mask; d3 += c;
        c = d3 >> 26; d3 &= mask; d4 += c;
        c = d4 >> 26; d4 &= mask; d0 += c + (c << 2);
        c = d0 >> 26; d0 &= mask; d1 += c;
        a0 = d0; a1 = d1; a2 = d2; a3 = d3; a4 = d4;
    }

    /// <summary>Lane-wise product of the low 32 bits of each 64-bit lane (vpmuludq).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Mul(Vector256<ulong> a, Vector256<ulong> b) => Avx2.Multiply(a.AsUInt32(), b.AsUInt32());

    private static ulong Sum(Vector256<ulong> v) => unchecked(v.GetElement(0) + v.GetElement(1) + v.GetElement(2) + v.GetElement(3));

    /// <summary>c = a·b mod 2^130 - 5 in 26-bit limbs, carried so each limb is below 2^26 (the second limb at most just above).</summary>
    private static void MultiplyScalar(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
    {
        unchecked
        {
            ulong s1 = b[1] * 5, s2 = b[2] * 5, s3 = b[3] * 5, s4 = b[4] * 5;
            var d0 = (a[0] * b[0]) + (a[1] * s4) + (a[2] * s3) + (a[3] * s2) + (a[4] * s1);
            var d1 = (a[0] * b[1]) + (a[1] * b[0]) + (a[2] * s4) + (a[3] * s3) + (a[4] * s2);
            var d2 = (a[0] * b[2]) + (a[1] * b[1]) + (a[2] * b[0]) + (a[3] * s4) + (a[4] * s3);
            var d3 = (a[0] * b[3]) + (a[1] * b[2]) + (a[2] * b[1]) + (a[3] * b[0]) + (a[4] * s4);
            var d4 = (a[0] * b[4]) + (a[1] * b[3]) + (a[2] * b[2]) + (a[3] * b[1]) + (a[4] * b[0]);
            var c = d0 >> 26; d0 &= Mask26; d1 += c;
            c = d1 >> 26; d1 &= Mask26; d2 += c;
            c = d2 >> 26; d2 &= Mask26; d3 += c;
            c = d3 >> 26; d3 &= Mask26; d4 += c;
            c = d4 >> 26; d4 &= Mask26; d0 += c * 5;
            c = d0 >> 26; d0 &= Mask26; d1 += c;
            result[0] = d0; result[1] = d1; result[2] = d2; result[3] = d3; result[4] = d4;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Carry(ulong sum, ulong addend) => Unsafe.BitCast<bool, byte>(sum < addend);
}
