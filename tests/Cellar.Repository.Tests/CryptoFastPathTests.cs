using System.Numerics;
using System.Security.Cryptography;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Tests;

/// <summary>
/// The batched/vectorised AES-CTR and radix-2^64 Poly1305 against deliberately simple reference
/// implementations (one block at a time, BigInteger arithmetic), on random lengths up to 100 KiB,
/// unaligned buffers and counters that carry across 64-bit words and wrap all 128 bits.
/// </summary>
public sealed class CryptoFastPathTests
{
    private const int Cases = 40;
    private static readonly BigInteger P = (BigInteger.One << 130) - 5;
    private static readonly BigInteger Mod128 = BigInteger.One << 128;

    public static TheoryData<string> Ivs() => new()
    {
        "000102030405060708090a0b0c0d0e0f",
        "0000000000000000fffffffffffffff0", // low word wraps after 16 blocks
        "0123456789abcdeffffffffffffff800", // low word wraps inside the first 64 KiB batch
        "0123456789abcdeffffffffffffff000", // wraps after 4096 blocks: exactly at the batch edge
        "0123456789abcdefffffffffffffefff", // wraps one block into the second batch
        "fffffffffffffffffffffffffffffffd", // the whole 128-bit counter wraps to zero
        "00000000000000000000000000000000",
    };

    [Theory]
    [MemberData(nameof(Ivs))]
    public void AesCtr_matches_a_block_at_a_time_reference_on_random_lengths_and_offsets(string ivHex)
    {
        var iv = Convert.FromHexString(ivHex);
        var random = new Random(ivHex.GetHashCode(StringComparison.Ordinal) ^ 17);
        using var aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(32);
        for (var n = 0; n < Cases / 4; n++)
        {
            var length = n switch { 0 => 0, 1 => 1, 2 => 100 * 1024, 3 => 64 * 1024 + 15, _ => random.Next(0, 100 * 1024 + 1) };
            var inOffset = random.Next(0, 16);
            var outOffset = random.Next(0, 16);
            var input = new byte[length + inOffset];
            random.NextBytes(input);
            var data = input.AsSpan(inOffset, length);
            var output = new byte[length + outOffset];

            AesCtr.Transform(aes, iv, data, output.AsSpan(outOffset, length));

            var expected = ReferenceCtr(aes, iv, data);
            output.AsSpan(outOffset).ToArray().ShouldBe(expected, $"length {length}, offsets {inOffset}/{outOffset}");

            // In place gives the same, and applying it twice restores the data.
            var inPlace = data.ToArray();
            AesCtr.Transform(aes, iv, inPlace, inPlace);
            inPlace.ShouldBe(expected);
            AesCtr.Transform(aes, iv, inPlace, inPlace);
            inPlace.ShouldBe(data.ToArray());

            // Output starting before the input in the same buffer (decrypting over a header).
            var shifted = new byte[length + 16];
            data.CopyTo(shifted.AsSpan(16));
            AesCtr.Transform(aes, iv, shifted.AsSpan(16), shifted.AsSpan(0, length));
            shifted.AsSpan(0, length).ToArray().ShouldBe(expected);
        }
    }

    [Fact]
    public void AesCtr_refuses_an_output_that_starts_inside_the_input()
    {
        using var aes = Aes.Create();
        aes.Key = new byte[32];
        var buffer = new byte[100];
        Should.Throw<ArgumentException>(() => AesCtr.Transform(aes, new byte[16], buffer.AsSpan(0, 64), buffer.AsSpan(1, 64)));
    }

    [Fact]
    public void Poly1305_matches_a_BigInteger_reference_on_random_keys_lengths_and_offsets()
    {
        var random = new Random(1305);
        for (var n = 0; n < Cases; n++)
        {
            var length = n switch { 0 => 0, 1 => 1, 2 => 15, 3 => 16, 4 => 17, _ => random.Next(0, 100 * 1024 + 1) };
            var offset = random.Next(0, 16);
            var buffer = new byte[length + offset];
            random.NextBytes(buffer);
            var key = new byte[32];
            random.NextBytes(key);
            var message = buffer.AsSpan(offset, length);

            var expected = ReferencePoly1305(key, message);
            foreach (var allowVector in new[] { true, false })
            {
                var tag = new byte[16];
                Poly1305.ComputeTag(key, message, tag, allowVector);
                tag.ShouldBe(expected, $"length {length}, offset {offset}, vector path allowed: {allowVector}");
            }
        }
    }

    [Theory]
    [InlineData(0xff, 0xff)]
    [InlineData(0xff, 0x00)]
    [InlineData(0x00, 0xff)]
    public void Poly1305_matches_the_reference_where_every_carry_is_taken(byte keyFill, byte messageFill)
    {
        // All-ones r, s and message words drive the accumulator to its largest values, so each
        // carry and the final conditional subtraction of p are exercised, in the scalar and the vector path.
        foreach (var length in new[] { 16, 31, 32, 48, 255, 256, 319, 1024, 4096 + 3 })
        {
            var key = Enumerable.Repeat(keyFill, 32).ToArray();
            var message = Enumerable.Repeat(messageFill, length).ToArray();
            var expected = ReferencePoly1305(key, message);
            foreach (var allowVector in new[] { true, false })
            {
                var tag = new byte[16];
                Poly1305.ComputeTag(key, message, tag, allowVector);
                tag.ShouldBe(expected, $"length {length}, vector path allowed: {allowVector}");
            }
        }
    }

    [Fact]
    public void Seal_matches_the_reference_layout_and_Open_restores_random_lengths_at_unaligned_offsets()
    {
        var random = new Random(8439);
        using var key = MasterKey.CreateRandom();
        using var macCipher = Aes.Create();
        macCipher.Key = key.MacK.ToArray();
        using var cipher = Aes.Create();
        cipher.Key = key.EncryptionKey.ToArray();
        for (var n = 0; n < Cases / 2; n++)
        {
            var length = n == 0 ? 0 : random.Next(0, 100 * 1024 + 1);
            var offset = random.Next(0, 16);
            var plaintext = new byte[length];
            random.NextBytes(plaintext);
            var sealedBuffer = new byte[offset + length + MasterKey.Overhead];
            var written = key.Seal(plaintext, sealedBuffer.AsSpan(offset));
            written.ShouldBe(length + MasterKey.Overhead);
            var sealedData = sealedBuffer.AsSpan(offset, written).ToArray();

            // IV || AES-CTR(plaintext) || Poly1305(r clamped, s = AES_k(IV)) over the ciphertext.
            var iv = sealedData[..16];
            var ciphertext = sealedData[16..^16];
            ciphertext.ShouldBe(ReferenceCtr(cipher, iv, plaintext));
            var polyKey = new byte[32];
            key.MacR.CopyTo(polyKey);
            MasterKey.ClampR(polyKey.AsSpan(0, 16));
            macCipher.EncryptEcb(iv, PaddingMode.None).CopyTo(polyKey, 16);
            sealedData[^16..].ShouldBe(ReferencePoly1305(polyKey, ciphertext));

            var opened = new byte[length + 7];
            key.TryOpen(sealedData, opened.AsSpan(7)).ShouldBeTrue();
            opened.AsSpan(7).ToArray().ShouldBe(plaintext);
            if (length > 0)
            {
                sealedData[16 + random.Next(length)] ^= 1;
                key.TryOpen(sealedData, opened.AsSpan(7)).ShouldBeFalse();
            }
        }
    }

    private static byte[] ReferenceCtr(Aes aes, byte[] iv, ReadOnlySpan<byte> data)
    {
        var output = new byte[data.Length];
        var counter = new BigInteger(iv, isUnsigned: true, isBigEndian: true);
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            var block = new byte[16];
            var bytes = counter.ToByteArray(isUnsigned: true, isBigEndian: true);
            if (!counter.IsZero)
            {
                bytes.CopyTo(block, 16 - bytes.Length);
            }

            var stream = aes.EncryptEcb(block, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < data.Length; i++)
            {
                output[offset + i] = (byte)(data[offset + i] ^ stream[i]);
            }

            counter = (counter + 1) % Mod128;
        }

        return output;
    }

    private static byte[] ReferencePoly1305(byte[] key, ReadOnlySpan<byte> message)
    {
        var rBytes = key[..16];
        MasterKey.ClampR(rBytes);
        var r = new BigInteger(rBytes, isUnsigned: true);
        var s = new BigInteger(key.AsSpan(16, 16), isUnsigned: true);
        var h = BigInteger.Zero;
        for (var offset = 0; offset < message.Length; offset += 16)
        {
            var chunk = message.Slice(offset, Math.Min(16, message.Length - offset));
            var block = new byte[chunk.Length + 1];
            chunk.CopyTo(block);
            block[chunk.Length] = 1;
            h = (h + new BigInteger(block, isUnsigned: true)) * r % P;
        }

        var tag = ((h + s) % Mod128).ToByteArray(isUnsigned: true);
        var result = new byte[16];
        tag.AsSpan(0, Math.Min(16, tag.Length)).CopyTo(result);
        return result;
    }
}
