using System.Buffers.Binary;

namespace Cellar.Repository.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator (D. J. Bernstein) with 44/44/42-bit limbs and 128-bit
/// products. Key: 16 bytes r (clamped here) followed by 16 bytes s.
/// </summary>
internal static class Poly1305
{
    public const int TagSize = 16;
    public const int KeySize = 32;
    private const ulong Mask44 = 0xfffffffffff;
    private const ulong Mask42 = 0x3ffffffffff;

    public static void ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (key.Length != KeySize || tag.Length < TagSize)
        {
            throw new ArgumentException("Poly1305 takes a 32-byte key and a 16-byte tag");
        }

        unchecked
        {
            var t0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
            var t1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
            var r0 = t0 & 0xffc0fffffff;
            var r1 = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
            var r2 = (t1 >> 24) & 0x00ffffffc0f;
            var s1 = r1 * (5 << 2);
            var s2 = r2 * (5 << 2);
            ulong h0 = 0, h1 = 0, h2 = 0;

            var full = message.Length & ~15;
            for (var offset = 0; offset < full; offset += 16)
            {
                Block(message.Slice(offset, 16), 1UL << 40, r0, r1, r2, s1, s2, ref h0, ref h1, ref h2);
            }

            if (full < message.Length)
            {
                Span<byte> last = stackalloc byte[16];
                last.Clear();
                var rest = message[full..];
                rest.CopyTo(last);
                last[rest.Length] = 1;
                Block(last, 0, r0, r1, r2, s1, s2, ref h0, ref h1, ref h2);
            }

            // Fully carry h.
            var c = h1 >> 44; h1 &= Mask44;
            h2 += c; c = h2 >> 42; h2 &= Mask42;
            h0 += c * 5; c = h0 >> 44; h0 &= Mask44;
            h1 += c; c = h1 >> 44; h1 &= Mask44;
            h2 += c; c = h2 >> 42; h2 &= Mask42;
            h0 += c * 5; c = h0 >> 44; h0 &= Mask44;
            h1 += c;

            // g = h - p; select h or g in constant time.
            var g0 = h0 + 5; c = g0 >> 44; g0 &= Mask44;
            var g1 = h1 + c; c = g1 >> 44; g1 &= Mask44;
            var g2 = h2 + c - (1UL << 42);
            c = (g2 >> 63) - 1;
            g0 &= c; g1 &= c; g2 &= c;
            c = ~c;
            h0 = (h0 & c) | g0;
            h1 = (h1 & c) | g1;
            h2 = (h2 & c) | g2;

            // h += s
            t0 = BinaryPrimitives.ReadUInt64LittleEndian(key[16..]);
            t1 = BinaryPrimitives.ReadUInt64LittleEndian(key[24..]);
            h0 += t0 & Mask44; c = h0 >> 44; h0 &= Mask44;
            h1 += (((t0 >> 44) | (t1 << 20)) & Mask44) + c; c = h1 >> 44; h1 &= Mask44;
            h2 += ((t1 >> 24) & Mask42) + c; h2 &= Mask42;

            BinaryPrimitives.WriteUInt64LittleEndian(tag, h0 | (h1 << 44));
            BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], (h1 >> 20) | (h2 << 24));
        }
    }

    private static void Block(ReadOnlySpan<byte> m, ulong hibit, ulong r0, ulong r1, ulong r2, ulong s1, ulong s2, ref ulong h0, ref ulong h1, ref ulong h2)
    {
        unchecked
        {
            var t0 = BinaryPrimitives.ReadUInt64LittleEndian(m);
            var t1 = BinaryPrimitives.ReadUInt64LittleEndian(m[8..]);
            h0 += t0 & Mask44;
            h1 += ((t0 >> 44) | (t1 << 20)) & Mask44;
            h2 += ((t1 >> 24) & Mask42) | hibit;

            var d0 = Mul(h0, r0) + Mul(h1, s2) + Mul(h2, s1);
            var d1 = Mul(h0, r1) + Mul(h1, r0) + Mul(h2, s2);
            var d2 = Mul(h0, r2) + Mul(h1, r1) + Mul(h2, r0);

            var c = (ulong)(d0 >> 44); h0 = (ulong)d0 & Mask44;
            d1 += c; c = (ulong)(d1 >> 44); h1 = (ulong)d1 & Mask44;
            d2 += c; c = (ulong)(d2 >> 42); h2 = (ulong)d2 & Mask42;
            h0 += c * 5; c = h0 >> 44; h0 &= Mask44;
            h1 += c;
        }
    }

    private static UInt128 Mul(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return new UInt128(high, low);
    }

    /// <summary>Compares two tags in time independent of where they differ.</summary>
    public static bool Verify(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, actual);
}
