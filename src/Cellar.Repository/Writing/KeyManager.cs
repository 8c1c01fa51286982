using Cellar.Repository.Keys;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Writing;

/// <summary>The key files of a repository, managed as <c>restic key</c> does.</summary>
public static class KeyManager
{
    /// <summary>One key file: its id, who made it where and when, and whether it is the one in use.</summary>
    public sealed record KeyInfo(Id Id, string Username, string Hostname, DateTimeOffset Created, bool IsCurrent);

    public static async Task<IReadOnlyList<KeyInfo>> ListAsync(ResticRepository repository, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var file in repository.Backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            names.Add(file.Name);
        }

        var keys = new List<KeyInfo>();
        foreach (var name in names)
        {
            if (!Id.TryParse(name, out var id))
            {
                continue;
            }

            var bytes = await repository.Backend.LoadAsync(new FileHandle(FileType.Key, name), 0, 0, cancellationToken).ConfigureAwait(false);
            var file = KeyFile.Parse(bytes);
            keys.Add(new KeyInfo(id, file.Username, file.Hostname, file.Created.ToDateTimeOffset(), id == repository.KeyId));
        }

        keys.Sort((a, b) => a.Created.CompareTo(b.Created));
        return keys;
    }

    /// <summary>Adds a key file for the same master key under another password.</summary>
    public static Task<Id> AddAsync(ResticRepository repository, string newPassword, CancellationToken cancellationToken) =>
        KeyFiles.AddAsync(repository.Backend, repository.Key, newPassword, cancellationToken);

    /// <summary>Removes a key; refuses the key in use (change the password instead) and the last key.</summary>
    public static async Task RemoveAsync(ResticRepository repository, string idOrPrefix, CancellationToken cancellationToken)
    {
        var keys = await ListAsync(repository, cancellationToken).ConfigureAwait(false);
        var matches = keys.Where(k => k.Id.HasPrefix(idOrPrefix)).ToList();
        if (matches.Count == 0)
        {
            throw new ArgumentException($"No key starts with '{idOrPrefix}'; 'cellar key list' shows them.");
        }

        if (matches.Count > 1)
        {
            throw new ArgumentException($"'{idOrPrefix}' names {matches.Count} keys; give more digits.");
        }

        var key = matches[0];
        if (key.IsCurrent)
        {
            throw new InvalidOperationException($"Key {key.Id.ToShortString()} is the one this command opened the repository with; open it with another key's password to remove this one, or use 'cellar key passwd'.");
        }

        if (keys.Count == 1)
        {
            throw new InvalidOperationException("This is the repository's last key; without it nobody can open the repository.");
        }

        await repository.Backend.RemoveAsync(new FileHandle(FileType.Key, key.Id.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the key in use by one under a new password (new key first, then the old removed).</summary>
    public static async Task<Id> ChangePasswordAsync(ResticRepository repository, string newPassword, CancellationToken cancellationToken)
    {
        var id = await AddAsync(repository, newPassword, cancellationToken).ConfigureAwait(false);
        await repository.Backend.RemoveAsync(new FileHandle(FileType.Key, repository.KeyId.ToString()), cancellationToken).ConfigureAwait(false);
        return id;
    }
}
