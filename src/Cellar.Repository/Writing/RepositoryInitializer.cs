using System.Security.Cryptography;
using Cellar.Repository.Chunking;
using Cellar.Repository.Crypto;
using Cellar.Repository.Keys;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Writing;

/// <summary>
/// Creates a new repository as <c>restic init</c> does: a random master key stored in a key file
/// under the password, then the config (format version, random 32-byte id, random irreducible
/// chunker polynomial). The config comes last: until it exists, there is no repository.
/// </summary>
public static class RepositoryInitializer
{
    public static async Task<ResticRepository> InitializeAsync(IBackend backend, string password, int formatVersion, CancellationToken cancellationToken, ScryptParameters? scrypt = null)
    {
        if (formatVersion is < RepositoryConfig.MinVersion or > RepositoryConfig.MaxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(formatVersion), $"The repository format version must be {RepositoryConfig.MinVersion} or {RepositoryConfig.MaxVersion}, not {formatVersion}.");
        }

        if (BackendStack.Unwrap(backend) is IPreparableBackend preparable)
        {
            await preparable.PrepareForNewRepositoryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await backend.StatAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"A repository already exists at {backend.Location}; choose another place or use it as it is.");
        }

        var key = MasterKey.CreateRandom();
        var keyId = await KeyFiles.AddAsync(backend, key, password, cancellationToken, scrypt).ConfigureAwait(false);
        var config = new RepositoryConfig(formatVersion, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Polynomial.Random().Value);
        var repository = ResticRepository.ForNew(backend, config, key, keyId);
        await repository.SaveUnpackedAsync(FileType.Config, config.ToJson(), cancellationToken).ConfigureAwait(false);
        return repository;
    }
}
