using System.Security.Cryptography;
using System.Text;
using Cellar.Repository.Crypto;
using Cellar.Repository.Json;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Keys;

/// <summary>Opening a repository's master key with a password, and making key files.</summary>
internal static class KeyFiles
{
    private const int SaltSize = 64;

    /// <summary>The master key inside <paramref name="file"/>, or null when the password does not open it.</summary>
    public static MasterKey? TryOpen(KeyFile file, string password)
    {
        if (!string.Equals(file.Kdf, "scrypt", StringComparison.Ordinal))
        {
            throw new RepositoryCorruptException($"a key file uses the key derivation '{file.Kdf}'; only scrypt is known.");
        }

        var derived = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), file.Salt, file.N, file.R, file.P, 64);
        using var userKey = MasterKey.FromDerived(derived);
        CryptographicOperations.ZeroMemory(derived);
        if (file.Data.Length < MasterKey.Overhead)
        {
            return null;
        }

        var plaintext = new byte[file.Data.Length - MasterKey.Overhead];
        if (!userKey.TryOpen(file.Data, plaintext))
        {
            return null;
        }

        var master = MasterKeyJson.Parse(plaintext);
        CryptographicOperations.ZeroMemory(plaintext);
        return master;
    }

    /// <summary>Tries every key file (newest listing order) and returns the first the password opens.</summary>
    public static async Task<(MasterKey Key, Id KeyId)> OpenAsync(IBackend backend, string password, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var file in backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            names.Add(file.Name);
        }

        foreach (var name in names)
        {
            var bytes = await backend.LoadAsync(new FileHandle(FileType.Key, name), 0, 0, cancellationToken).ConfigureAwait(false);
            KeyFile file;
            try
            {
                file = KeyFile.Parse(bytes);
            }
            catch (RepositoryCorruptException)
            {
                continue;
            }

            if (TryOpen(file, password) is { } key)
            {
                return (key, Id.Parse(name));
            }
        }

        throw new WrongPasswordException(backend.Location);
    }

    /// <summary>A new key file holding <paramref name="master"/> under <paramref name="password"/>.</summary>
    public static KeyFile Create(MasterKey master, string password, ScryptParameters? parameters = null, string? username = null, string? hostname = null)
    {
        parameters ??= ScryptParameters.Default;
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var derived = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), salt, parameters.N, parameters.R, parameters.P, 64);
        using var userKey = MasterKey.FromDerived(derived);
        CryptographicOperations.ZeroMemory(derived);
        var json = MasterKeyJson.ToJson(master);
        var data = userKey.Seal(json);
        CryptographicOperations.ZeroMemory(json);
        return new KeyFile
        {
            Created = GoTime.FromDateTimeOffset(DateTimeOffset.Now),
            Username = username ?? Environment.UserName,
            Hostname = hostname ?? Environment.MachineName,
            Kdf = "scrypt",
            N = parameters.N,
            R = parameters.R,
            P = parameters.P,
            Salt = salt,
            Data = data,
        };
    }

    /// <summary>Writes a new key file for <paramref name="master"/> and returns its id (the SHA-256 of the file).</summary>
    public static async Task<Id> AddAsync(IBackend backend, MasterKey master, string password, CancellationToken cancellationToken, ScryptParameters? parameters = null)
    {
        var bytes = Create(master, password, parameters).ToJson();
        var id = Id.Hash(bytes);
        await backend.SaveAsync(new FileHandle(FileType.Key, id.ToString()), bytes, cancellationToken).ConfigureAwait(false);
        return id;
    }
}
