using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cellar.Repository.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator (D. J. Bernstein) in radix 2^64: the accumulator is two
/// 64-bit words and a small third one, r is two 64-bit words, and each 16-byte block costs four
/// 64×64→128-bit multiplications; with AVX2, long messages go four blocks at a time through
/// <see cref="Poly1305Avx2"/> first. Branch-free on secret data. Key: 16 bytes r (clamped here)
/// followed by 16 bytes s.
/// </summary>
internal static class Poly1305
{
    public const int TagSize = 16;
    public const int KeySize = 32;
    private const int BlockSize = 16;

    /// <summary>Messages from this many bytes take the four-way vector path where the CPU has AVX2.</summary>
    private const int VectorThreshold = 256;

    public static void ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> tag) =>
        ComputeTag(key, message, tag, allowVector: true);

    /// <summary>As <see cref="ComputeTag(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>; <paramref name="allowVector"/> false forces the scalar path (for tests).</summary>
    internal static void ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> tag, bool allowVector)
    {
        if (key.Length != KeySize || tag.Length < TagSize)
        {
            throw new ArgumentException("Poly1305 takes a 32-byte key and a 16-byte tag");
        }

        unchecked
        {
            // Clamped r: r0 < 2^60, r1 < 2^60 with its low two bits clear, so s1 = 5·r1/4 is exact.
            var r0 = BinaryPrimitives.ReadUInt64LittleEndian(key) & 0x0ffffffc0fffffffUL;
            var r1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]) & 0x0ffffffc0ffffffcUL;
            var s1 = r1 + (r1 >> 2);
            ulong h0 = 0, h1 = 0, h2 = 0;

            var full = message.Length & ~(BlockSize - 1);
            var offset = 0;
            if (allowVector && Poly1305Avx2.IsSupported && full >= VectorThreshold)
            {
                offset = full & ~(Poly1305Avx2.ChunkSize - 1);
                Poly1305Avx2.Blocks(message[..offset], r0, r1, out h0, out h1, out h2);
            }

            ref var start = ref MemoryMarshal.GetReference(message);
            for (; offset < full; offset += BlockSize)
            {
                var m0 = ReadLittleEndian(ref Unsafe.Add(ref start, offset));
                var m1 = ReadLittleEndian(ref Unsafe.Add(ref start, offset + 8));
                Block(m0, m1, 1, r0, r1, s1, ref h0, ref h1, ref h2);
            }

            if (full < message.Length)
            {
                Span<byte> last = stackalloc byte[BlockSize];
                last.Clear();
                var rest = message[full..];
                rest.CopyTo(last);
                last[rest.Length] = 1;
                Block(BinaryPrimitives.ReadUInt64LittleEndian(last), BinaryPrimitives.ReadUInt64LittleEndian(last[8..]), 0, r0, r1, s1, ref h0, ref h1, ref h2);
            }

            // h < 2^130 + 2^64 < 2p here, so one conditional subtraction of p = 2^130 - 5 reduces it:
            // g = h + 5 - 2^130 is taken when it does not go negative.
            var g0 = h0 + 5;
            var c = Carry(g0, h0);
            var g1 = h1 + c;
            c = Carry(g1, h1);
            var g2 = h2 + c - 4;
            var keepH = 0UL - (g2 >> 63); // all ones when g went negative
            h0 = (h0 & keepH) | (g0 & ~keepH);
            h1 = (h1 & keepH) | (g1 & ~keepH);

            // tag = (h + s) mod 2^128
            var t0 = h0 + BinaryPrimitives.ReadUInt64LittleEndian(key[16..]);
            c = Carry(t0, h0);
            var t1 = h1 + BinaryPrimitives.ReadUInt64LittleEndian(key[24..]) + c;
            BinaryPrimitives.WriteUInt64LittleEndian(tag, t0);
            BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], t1);
        }
    }

    /// <summary>h = (h + m + hibit·2^128) · r, partially reduced mod 2^130 - 5 (h stays below 2^130 + 2^64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ulong m0, ulong m1, ulong hibit, ulong r0, ulong r1, ulong s1, ref ulong h0, ref ulong h1, ref ulong h2)
    {
        unchecked
        {
            var a0 = h0 + m0;
            var c = Carry(a0, h0);
            var a1 = h1 + m1;
            var c1 = Carry(a1, h1);
            a1 += c;
            c1 += Carry(a1, c);
            var a2 = h2 + c1 + hibit; // at most 7

            // h·r with 2^128·r1 folded as r1/4·2^130 ≡ 5·r1/4 = s1.
            var p0h = Math.BigMul(a0, r0, out var p0l);
            var p1h = Math.BigMul(a1, s1, out var p1l);
            var p2h = Math.BigMul(a0, r1, out var p2l);
            var p3h = Math.BigMul(a1, r0, out var p3l);

            var d0l = p0l + p1l;
            var d0h = p0h + p1h + Carry(d0l, p0l);
            var d1l = p2l + p3l;
            var d1h = p2h + p3h + Carry(d1l, p2l);
            var x = a2 * s1; // < 2^64
            d1l += x;
            d1h += Carry(d1l, x);
            var d2 = a2 * r0; // < 2^63

            // Propagate: value = d0l + (d1 + d0h)·2^64 + (d2 + carry)·2^128.
            d1l += d0h;
            d1h += Carry(d1l, d0h);
            d2 += d1h;

            // Reduce the bits from 2^130 up: (d2 >> 2)·2^130 ≡ 5·(d2 >> 2) = (d2 & ~3) + (d2 >> 2).
            var fold = (d2 & ~3UL) + (d2 >> 2);
            h0 = d0l + fold;
            c = Carry(h0, fold);
            h1 = d1l + c;
            c = Carry(h1, c);
            h2 = (d2 & 3) + c;
        }
    }

    /// <summary>1 when the unsigned sum <paramref name="sum"/> = <paramref name="addend"/> + y wrapped, else 0; branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Carry(ulong sum, ulong addend) => Unsafe.BitCast<bool, byte>(sum < addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLittleEndian(ref byte source)
    {
        var value = Unsafe.ReadUnaligned<ulong>(ref source);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    /// <summary>Compares two tags in time independent of where they differ.</summary>
    public static bool Verify(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, actual);
}
