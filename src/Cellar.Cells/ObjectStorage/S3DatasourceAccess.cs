using Cellar.Cells.Vault;
using Cellar.Storage.S3;

namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// Opens the bucket of an S3 datasource with its credentials: from the credentials file when it
/// names the datasource, else <c>ApiKey</c> and the secret Cells keeps in its vault
/// (<c>ApiSecret</c> names the entry; without such an entry it is the secret itself).
/// </summary>
public sealed class S3DatasourceAccess(string? vaultFile, string? keyringFile, DatasourceCredentials credentials)
{
    private CellsVault? _vault;

    /// <summary>Waits between attempts of a failed S3 request (null: the store's default).</summary>
    public IReadOnlyList<TimeSpan>? RetryDelays { get; init; }

    public S3ObjectStore Open(string name, CellsS3Storage storage, Action<string>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Bucket is null)
        {
            throw new CellsConfigException(vaultFile ?? "pydio.json", $"S3 datasource {name} names no bucket (ObjectsBucket); Cellar cannot back it up.");
        }

        var (key, secret, hint) = Resolve(name, storage);
        var store = S3ObjectStore.Open(storage.Endpoint, storage.Bucket, storage.Region, storage.PathStyle, key, secret, $"S3 datasource {name} ({storage})", hint);
        store.OnRetry = onRetry;
        if (RetryDelays is { } delays)
        {
            store.RetryDelays = delays;
        }

        return store;
    }

    /// <summary>The access key and secret the datasource is opened with, and what to check when they are refused.</summary>
    public (string Key, string Secret, string Hint) Resolve(string name, CellsS3Storage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (credentials.TryGet(name, out var accessKey, out var secretKey))
        {
            return (accessKey, secretKey, $"the line for {name} in the --datasource-credentials file");
        }

        if (storage.ApiKey is null || storage.ApiSecret is null)
        {
            throw new CellsConfigException(vaultFile ?? "pydio.json", $"S3 datasource {name} has no ApiKey/ApiSecret in pydio.json; give its credentials with --datasource-credentials FILE (a line '{name} ACCESS_KEY SECRET_KEY').");
        }

        var secret = storage.ApiSecret;
        if (vaultFile is not null && keyringFile is not null && File.Exists(vaultFile))
        {
            _vault ??= CellsVault.Open(vaultFile, keyringFile);
            secret = _vault.GetSecret(storage.ApiSecret) ?? storage.ApiSecret;
        }

        return (storage.ApiKey, secret, $"the ApiKey of datasource {name} in pydio.json and its secret in the vault (or give them with --datasource-credentials FILE)");
    }
}
