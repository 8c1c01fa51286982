using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Cellar.Bench;

/// <summary>The scalar scrypt Cellar used before the vectorised core, kept as the benchmark baseline.</summary>
internal static class ScalarScryptBaseline
{
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length)
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
        var x = new uint[words];
        var y = new uint[words];
        // The 128·r·N bytes of V (32 MiB with restic's parameters) live outside the GC heap and are
        // freed at once, so they do not stay resident as garbage for the rest of the command.
        var vLength = checked(words * n);
        unsafe
        {
            var vMemory = (uint*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)vLength, sizeof(uint));
            try
            {
                var v = new Span<uint>(vMemory, vLength);
                for (var i = 0; i < p; i++)
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

                v.Clear();
            }
            finally
            {
                System.Runtime.InteropServices.NativeMemory.Free(vMemory);
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
    }

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
