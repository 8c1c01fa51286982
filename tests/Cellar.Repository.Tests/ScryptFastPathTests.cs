using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Tests;

/// <summary>
/// The vectorised scrypt against a deliberately simple scalar reference written straight from
/// RFC 7914 (Salsa20/8 on sixteen words, BlockMix with copies, ROMix with a V array), on random
/// passwords and salts.
/// </summary>
public sealed class ScryptFastPathTests
{
    public static TheoryData<int, int, int> Parameters() => new()
    {
        { 2, 1, 1 },
        { 16, 1, 1 },
        { 1024, 1, 1 },
        { 2, 8, 1 },
        { 64, 8, 1 },
        { 512, 8, 2 },
        { 128, 3, 3 },
    };

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Scrypt_matches_a_scalar_reference_on_random_inputs(int n, int r, int p)
    {
        var random = new Random((n * 31) + (r * 7) + p);
        for (var round = 0; round < 3; round++)
        {
            var password = new byte[random.Next(0, 40)];
            var salt = new byte[random.Next(0, 70)];
            random.NextBytes(password);
            random.NextBytes(salt);
            var length = random.Next(1, 100);
            var expected = Reference(password, salt, n, r, p, length);
            Scrypt.DeriveKey(password, salt, n, r, p, length).ShouldBe(expected, $"password {Convert.ToHexString(password)}, salt {Convert.ToHexString(salt)}");
        }
    }

    private static byte[] Reference(byte[] password, byte[] salt, int n, int r, int p, int length)
    {
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * 128 * r);
        for (var i = 0; i < p; i++)
        {
            var x = new uint[32 * r];
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((i * 128 * r) + (k * 4)));
            }

            var v = new uint[n][];
            for (var k = 0; k < n; k++)
            {
                v[k] = (uint[])x.Clone();
                x = ReferenceBlockMix(x, r);
            }

            for (var k = 0; k < n; k++)
            {
                var j = x[(2 * r - 1) * 16] % (uint)n;
                for (var w = 0; w < x.Length; w++)
                {
                    x[w] ^= v[j][w];
                }

                x = ReferenceBlockMix(x, r);
            }

            for (var k = 0; k < x.Length; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((i * 128 * r) + (k * 4)), x[k]);
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
    }

    private static uint[] ReferenceBlockMix(uint[] b, int r)
    {
        var x = b[((2 * r - 1) * 16)..(2 * r * 16)];
        var y = new uint[b.Length];
        for (var i = 0; i < 2 * r; i++)
        {
            for (var k = 0; k < 16; k++)
            {
                x[k] ^= b[(i * 16) + k];
            }

            x = ReferenceSalsa208(x);
            var target = (i % 2 == 0 ? i / 2 : r + (i / 2)) * 16;
            Array.Copy(x, 0, y, target, 16);
        }

        return y;
    }

    private static uint[] ReferenceSalsa208(uint[] input)
    {
        var x = (uint[])input.Clone();
        void QuarterRound(int a, int b, int c, int d)
        {
            unchecked
            {
                x[b] ^= BitOperations.RotateLeft(x[a] + x[d], 7);
                x[c] ^= BitOperations.RotateLeft(x[b] + x[a], 9);
                x[d] ^= BitOperations.RotateLeft(x[c] + x[b], 13);
                x[a] ^= BitOperations.RotateLeft(x[d] + x[c], 18);
            }
        }

        for (var i = 0; i < 8; i += 2)
        {
            QuarterRound(0, 4, 8, 12);
            QuarterRound(5, 9, 13, 1);
            QuarterRound(10, 14, 2, 6);
            QuarterRound(15, 3, 7, 11);
            QuarterRound(0, 1, 2, 3);
            QuarterRound(5, 6, 7, 4);
            QuarterRound(10, 11, 8, 9);
            QuarterRound(15, 12, 13, 14);
        }

        var output = new uint[16];
        for (var k = 0; k < 16; k++)
        {
            output[k] = unchecked(x[k] + input[k]);
        }

        return output;
    }
}
