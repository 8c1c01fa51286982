using System.Security.Cryptography;
using System.Text;
using Cellar.Repository.Crypto;

namespace Cellar.Repository.Tests;

public sealed class CryptoVectorTests
{
    [Fact]
    public void AesCtr_matches_the_NIST_SP800_38A_CTR_AES256_vector()
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        var iv = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        var plaintext = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        var output = new byte[plaintext.Length];
        AesCtr.Transform(aes, iv, plaintext, output);
        Convert.ToHexStringLower(output).ShouldBe(
            "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
    }

    [Fact]
    public void AesCtr_carries_the_counter_across_64_bit_words_and_batches()
    {
        using var aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(32);
        var iv = Convert.FromHexString("0000000000000000fffffffffffffff0");
        var data = RandomNumberGenerator.GetBytes(16 * 600 + 7);
        var fast = new byte[data.Length];
        AesCtr.Transform(aes, iv, data, fast);

        // Reference: one block at a time with a BigInteger counter.
        var expected = new byte[data.Length];
        var counter = new System.Numerics.BigInteger(iv, isUnsigned: true, isBigEndian: true);
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            var block = new byte[16];
            var bytes = counter.ToByteArray(isUnsigned: true, isBigEndian: true);
            bytes.CopyTo(block, 16 - bytes.Length);
            var stream = aes.EncryptEcb(block, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < data.Length; i++)
            {
                expected[offset + i] = (byte)(data[offset + i] ^ stream[i]);
            }

            counter++;
        }

        fast.ShouldBe(expected);
    }

    [Fact]
    public void Poly1305_matches_the_RFC_8439_vector()
    {
        var key = Convert.FromHexString("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        var tag = new byte[16];
        Poly1305.ComputeTag(key, Encoding.ASCII.GetBytes("Cryptographic Forum Research Group"), tag);
        Convert.ToHexStringLower(tag).ShouldBe("a8061dc1305136c6c22b8baf0c0127a9");
    }

    [Theory]
    [InlineData("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void Scrypt_matches_the_RFC_7914_vectors(string password, string salt, int n, int r, int p, string expected)
    {
        var key = Scrypt.DeriveKey(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), n, r, p, 64);
        Convert.ToHexStringLower(key).ShouldBe(expected);
    }

    [Fact]
    public void Sealed_data_opens_and_any_flipped_bit_is_refused()
    {
        using var key = MasterKey.CreateRandom();
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var sealedData = key.Seal(plaintext);
        sealedData.Length.ShouldBe(plaintext.Length + 32);
        key.Open(sealedData).ShouldBe(plaintext);
        foreach (var position in new[] { 0, 15, 16, 500, sealedData.Length - 1 })
        {
            var damaged = (byte[])sealedData.Clone();
            damaged[position] ^= 0x10;
            Should.Throw<RepositoryCorruptException>(() => key.Open(damaged));
        }
    }
}
