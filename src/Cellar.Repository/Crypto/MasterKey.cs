using System.Security.Cryptography;

namespace Cellar.Repository.Crypto;

/// <summary>
/// A restic crypto key: a 32-byte AES-256 key and a Poly1305-AES MAC key (16-byte AES key k, 16-byte
/// r). <see cref="Seal(ReadOnlySpan{byte})"/> and <see cref="Open"/> use restic's layout <c>IV(16) || ciphertext || MAC(16)</c>,
/// the MAC being Poly1305 over the ciphertext with r (clamped) and s = AES_k(IV).
/// Safe to use from many threads at once.
/// </summary>
internal sealed class MasterKey : IDisposable
{
    public const int IvSize = 16;
    public const int MacSize = 16;
    /// <summary>Bytes a sealed message adds to its plaintext.</summary>
    public const int Overhead = IvSize + MacSize;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _macK;
    private readonly byte[] _macR;
    private readonly ThreadLocal<Aes> _cipher;
    private readonly ThreadLocal<Aes> _macCipher;

    public MasterKey(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> macK, ReadOnlySpan<byte> macR)
    {
        if (encryptionKey.Length != 32 || macK.Length != 16 || macR.Length != 16)
        {
            throw new ArgumentException("a key is a 32-byte encryption key, a 16-byte MAC k and a 16-byte MAC r");
        }

        _encryptionKey = encryptionKey.ToArray();
        _macK = macK.ToArray();
        _macR = macR.ToArray();
        _cipher = new ThreadLocal<Aes>(() => CreateAes(_encryptionKey), trackAllValues: true);
        _macCipher = new ThreadLocal<Aes>(() => CreateAes(_macK), trackAllValues: true);
    }

    public ReadOnlySpan<byte> EncryptionKey => _encryptionKey;
    public ReadOnlySpan<byte> MacK => _macK;
    public ReadOnlySpan<byte> MacR => _macR;

    /// <summary>A new random key, r clamped as restic does when it makes keys.</summary>
    public static MasterKey CreateRandom()
    {
        Span<byte> bytes = stackalloc byte[64];
        RandomNumberGenerator.Fill(bytes);
        ClampR(bytes[48..]);
        return new MasterKey(bytes[..32], bytes[32..48], bytes[48..]);
    }

    /// <summary>Builds a key from 64 derived bytes: encryption key, MAC k, MAC r (the layout of a key file's user key).</summary>
    public static MasterKey FromDerived(ReadOnlySpan<byte> derived) => new(derived[..32], derived[32..48], derived[48..64]);

    public int SealedLength(int plaintextLength) => checked(plaintextLength + Overhead);

    /// <summary>Encrypts and authenticates with a fresh random IV.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[SealedLength(plaintext.Length)];
        Seal(plaintext, output);
        return output;
    }

    /// <summary>Encrypts into <paramref name="destination"/> (at least plaintext + 32 bytes); returns the bytes written.</summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var total = SealedLength(plaintext.Length);
        if (destination.Length < total)
        {
            throw new ArgumentException("the destination is too small for the sealed message", nameof(destination));
        }

        var iv = destination[..IvSize];
        RandomNumberGenerator.Fill(iv);
        var ciphertext = destination.Slice(IvSize, plaintext.Length);
        AesCtr.Transform(_cipher.Value!, iv, plaintext, ciphertext);
        ComputeMac(iv, ciphertext, destination.Slice(IvSize + plaintext.Length, MacSize));
        return total;
    }

    /// <summary>Checks the MAC and decrypts; throws <see cref="RepositoryCorruptException"/> when the MAC does not match.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedMessage)
    {
        if (sealedMessage.Length < Overhead)
        {
            throw new RepositoryCorruptException($"encrypted data of {sealedMessage.Length} bytes is shorter than IV and MAC");
        }

        var output = new byte[sealedMessage.Length - Overhead];
        if (!TryOpen(sealedMessage, output))
        {
            throw new RepositoryCorruptException("ciphertext verification failed (MAC mismatch): the data is damaged or was made with another key");
        }

        return output;
    }

    /// <summary>Checks the MAC and decrypts into <paramref name="destination"/>; false when the MAC does not match.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedMessage, Span<byte> destination)
    {
        if (sealedMessage.Length < Overhead)
        {
            return false;
        }

        var iv = sealedMessage[..IvSize];
        var ciphertext = sealedMessage[IvSize..^MacSize];
        Span<byte> mac = stackalloc byte[MacSize];
        ComputeMac(iv, ciphertext, mac);
        if (!Poly1305.Verify(mac, sealedMessage[^MacSize..]))
        {
            return false;
        }

        AesCtr.Transform(_cipher.Value!, iv, ciphertext, destination);
        return true;
    }

    private void ComputeMac(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> mac)
    {
        Span<byte> key = stackalloc byte[Poly1305.KeySize];
        _macR.CopyTo(key);
        ClampR(key[..16]);
        _macCipher.Value!.EncryptEcb(nonce, key[16..], PaddingMode.None);
        Poly1305.ComputeTag(key, ciphertext, mac);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>Poly1305's clamping of r: clears the bits its arithmetic must not see.</summary>
    internal static void ClampR(Span<byte> r)
    {
        r[3] &= 15; r[7] &= 15; r[11] &= 15; r[15] &= 15;
        r[4] &= 252; r[8] &= 252; r[12] &= 252;
    }

    private static Aes CreateAes(byte[] key)
    {
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }

    public void Dispose()
    {
        foreach (var aes in _cipher.Values) aes.Dispose();
        foreach (var aes in _macCipher.Values) aes.Dispose();
        _cipher.Dispose();
        _macCipher.Dispose();
    }
}
