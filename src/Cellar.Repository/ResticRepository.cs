using System.Collections.Concurrent;
using Cellar.Repository.Blobs;
using Cellar.Repository.Compression;
using Cellar.Repository.Crypto;
using Cellar.Repository.Index;
using Cellar.Repository.Keys;
using Cellar.Repository.Locking;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;

namespace Cellar.Repository;

/// <summary>
/// An open restic repository: its config, master key and index, and the reading of blobs, trees,
/// snapshots and other files, every one of them checked (MAC, and hash for blobs and named files).
/// </summary>
public sealed class ResticRepository : IAsyncDisposable
{
    /// <summary>How many files are loaded at once when loading many (index files, snapshots).</summary>
    public const int LoadParallelism = 8;

    private ResticRepository(IBackend backend, RepositoryConfig config, MasterKey key, Id keyId)
    {
        Backend = backend;
        Config = config;
        Key = key;
        KeyId = keyId;
    }

    public IBackend Backend { get; }
    public RepositoryConfig Config { get; }
    public MasterKey Key { get; }

    /// <summary>The key file that opened the repository.</summary>
    public Id KeyId { get; }

    public MasterIndex Index { get; private set; } = new();

    /// <summary>How long taking a lock keeps trying while another process holds a conflicting one (restic's <c>--retry-lock</c>; zero: fail at once).</summary>
    public TimeSpan LockRetry { get; set; }

    /// <summary>The lock taken with <see cref="LockAsync"/> (held until dispose), or <see cref="LockMode.None"/>.</summary>
    public LockMode HeldLock { get; private set; }

    /// <summary>The file of the lock taken with <see cref="LockAsync"/> (it changes on every refresh); null without one.</summary>
    internal Id? HeldLockFileId => _lock?.FileId;

    private RepositoryLock? _lock;

    /// <summary>Index files that failed to load (check reports them); empty after a clean load.</summary>
    public IReadOnlyDictionary<Id, string> IndexErrors { get; private set; } = new Dictionary<Id, string>();

    /// <summary>Opens the repository: finds a key for the password, reads the config, loads the index.</summary>
    public static async Task<ResticRepository> OpenAsync(IBackend backend, string password, CancellationToken cancellationToken, bool loadIndex = true)
    {
        if (await backend.StatAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new RepositoryNotFoundException(backend.Location);
        }

        var (key, keyId) = await KeyFiles.OpenAsync(backend, password, cancellationToken).ConfigureAwait(false);
        var sealedConfig = await backend.LoadAsync(FileHandle.Config, 0, 0, cancellationToken).ConfigureAwait(false);
        var configJson = new byte[Math.Max(0, sealedConfig.Length - MasterKey.Overhead)];
        if (!key.TryOpen(sealedConfig, configJson))
        {
            throw new RepositoryCorruptException($"the config file of {backend.Location} fails its MAC check (damaged, or it belongs to another repository)");
        }

        var config = RepositoryConfig.Parse(Decompress(configJson));
        var repository = new ResticRepository(backend, config, key, keyId);
        if (loadIndex)
        {
            await repository.LoadIndexAsync(cancellationToken, throwOnError: true).ConfigureAwait(false);
        }

        return repository;
    }

    /// <summary>
    /// Makes a repository object for a repository being created (the writing side's <c>init</c>):
    /// nothing is read from the backend.
    /// </summary>
    public static ResticRepository ForNew(IBackend backend, RepositoryConfig config, MasterKey key, Id keyId) => new(backend, config, key, keyId);

    /// <summary>
    /// Takes the lock a whole program run needs and holds it (refreshed) until the repository is
    /// disposed; <see cref="RepositoryLockedException"/> when another process holds a conflicting
    /// one past <see cref="LockRetry"/>. Operations that need a lock reuse it.
    /// </summary>
    public async Task LockAsync(LockMode mode, CancellationToken cancellationToken)
    {
        if (HeldLock != LockMode.None)
        {
            throw new InvalidOperationException("The repository is already locked; it is locked once, when it is opened.");
        }

        if (mode == LockMode.None)
        {
            return;
        }

        _lock = await RepositoryLock.AcquireAsync(this, mode == LockMode.Exclusive, cancellationToken).ConfigureAwait(false);
        HeldLock = mode;
    }

    /// <summary>Loads every index file in parallel into a fresh <see cref="Index"/>.</summary>
    public async Task LoadIndexAsync(CancellationToken cancellationToken, bool throwOnError = true)
    {
        var names = new List<Id>();
        await foreach (var file in Backend.ListAsync(FileType.Index, cancellationToken).ConfigureAwait(false))
        {
            names.Add(Id.Parse(file.Name));
        }

        var index = new MasterIndex();
        var errors = new ConcurrentDictionary<Id, string>();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                var json = await LoadUnpackedAsync(FileType.Index, id, ct).ConfigureAwait(false);
                index.Add(id, IndexFile.Parse(json));
            }
            catch (Exception ex) when (!throwOnError && ex is RepositoryCorruptException or IOException)
            {
                errors[id] = ex.Message;
            }
            catch (RepositoryCorruptException ex)
            {
                throw new RepositoryCorruptException($"index file {id}: {ex.Message}", ex);
            }
        }).ConfigureAwait(false);
        Index = index;
        IndexErrors = errors;
    }

    /// <summary>Loads, checks (hash of the stored bytes = id, MAC) and decrypts and decompresses a file.</summary>
    public async Task<byte[]> LoadUnpackedAsync(FileType type, Id id, CancellationToken cancellationToken)
    {
        var handle = type == FileType.Config ? FileHandle.Config : new FileHandle(type, id.ToString());
        var stored = await Backend.LoadAsync(handle, 0, 0, cancellationToken).ConfigureAwait(false);
        if (type != FileType.Config && Id.Hash(stored) != id)
        {
            throw new RepositoryCorruptException($"{handle} is damaged: its content does not hash to its name");
        }

        if (stored.Length < MasterKey.Overhead)
        {
            throw new RepositoryCorruptException($"{handle} is damaged: {stored.Length} bytes is too short");
        }

        var plaintext = new byte[stored.Length - MasterKey.Overhead];
        if (!Key.TryOpen(stored, plaintext))
        {
            throw new RepositoryCorruptException($"{handle} is damaged: it fails its MAC check");
        }

        return Decompress(plaintext);
    }

    /// <summary>
    /// Encrypts (and for format 2, compresses, except the config) and stores a file under the hash
    /// of its stored bytes; returns that id.
    /// </summary>
    public async Task<Id> SaveUnpackedAsync(FileType type, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        byte[] payload;
        if (Config.SupportsCompression && type != FileType.Config)
        {
            var compressed = Zstd.Compress(plaintext.Span);
            payload = new byte[compressed.Length + 1];
            payload[0] = 2;
            compressed.CopyTo(payload, 1);
        }
        else
        {
            payload = plaintext.ToArray();
        }

        var stored = Key.Seal(payload);
        var id = Id.Hash(stored);
        var handle = type == FileType.Config ? FileHandle.Config : new FileHandle(type, id.ToString());
        await Backend.SaveAsync(handle, stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>A blob's plaintext, verified against its id.</summary>
    public async Task<byte[]> LoadBlobAsync(BlobType type, Id id, CancellationToken cancellationToken)
    {
        if (!Index.TryLookup(id, type, out var packed))
        {
            throw new RepositoryCorruptException($"{type.ToString().ToLowerInvariant()} blob {id} is not in the index");
        }

        var stored = await Backend.LoadAsync(new FileHandle(FileType.Pack, packed.PackId.ToString()), packed.Offset, packed.Length, cancellationToken).ConfigureAwait(false);
        return BlobDecoder.Decode(Key, packed, stored);
    }

    public async Task<Tree> LoadTreeAsync(Id id, CancellationToken cancellationToken)
    {
        var json = await LoadBlobAsync(BlobType.Tree, id, cancellationToken).ConfigureAwait(false);
        try
        {
            return Tree.Parse(json);
        }
        catch (RepositoryCorruptException ex)
        {
            throw new RepositoryCorruptException($"tree {id}: {ex.Message}", ex);
        }
    }

    public async Task<Snapshot> LoadSnapshotAsync(Id id, CancellationToken cancellationToken)
    {
        var json = await LoadUnpackedAsync(FileType.Snapshot, id, cancellationToken).ConfigureAwait(false);
        var snapshot = Snapshot.Parse(json);
        snapshot.Id = id;
        return snapshot;
    }

    /// <summary>Every snapshot, oldest first.</summary>
    public async Task<IReadOnlyList<Snapshot>> ListSnapshotsAsync(CancellationToken cancellationToken, SnapshotFilter? filter = null)
    {
        var ids = new List<Id>();
        await foreach (var file in Backend.ListAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(Id.Parse(file.Name));
        }

        var snapshots = new ConcurrentBag<Snapshot>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            snapshots.Add(await LoadSnapshotAsync(id, ct).ConfigureAwait(false));
        }).ConfigureAwait(false);
        return snapshots.Where(s => filter is null || filter.Matches(s))
            .OrderBy(s => s.Time.UnixSeconds).ThenBy(s => s.Time.Nanoseconds).ThenBy(s => s.Id)
            .ToList();
    }

    /// <summary>
    /// Finds one snapshot: <c>latest</c> (the newest matching the filter) or an id or unique id prefix.
    /// </summary>
    public async Task<Snapshot> FindSnapshotAsync(string spec, CancellationToken cancellationToken, SnapshotFilter? filter = null)
    {
        if (string.Equals(spec, "latest", StringComparison.Ordinal))
        {
            var all = await ListSnapshotsAsync(cancellationToken, filter).ConfigureAwait(false);
            return all.Count > 0 ? all[^1] : throw new SnapshotNotFoundException("no snapshot matches the filter (latest)");
        }

        var id = await ResolveIdAsync(FileType.Snapshot, spec, cancellationToken).ConfigureAwait(false);
        return await LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id of the one file of a type whose name starts with <paramref name="prefix"/>.</summary>
    public async Task<Id> ResolveIdAsync(FileType type, string prefix, CancellationToken cancellationToken)
    {
        if (Id.TryParse(prefix, out var full))
        {
            return full;
        }

        var matches = new List<Id>();
        await foreach (var file in Backend.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            if (file.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                matches.Add(Id.Parse(file.Name));
            }
        }

        var what = type.ToString().ToLowerInvariant();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new SnapshotNotFoundException($"no {what} with id {prefix} in {Backend.Location}"),
            _ => throw new SnapshotNotFoundException($"the id prefix {prefix} matches {matches.Count} {what} files; give more digits"),
        };
    }

    /// <summary>Decompresses an unpacked file's plaintext: a leading byte 2 means zstd follows, else plain JSON.</summary>
    internal static byte[] Decompress(byte[] plaintext)
    {
        if (plaintext.Length > 0 && plaintext[0] == 2)
        {
            return Zstd.Decompress(plaintext.AsSpan(1));
        }

        return plaintext;
    }

    public async ValueTask DisposeAsync()
    {
        if (_lock is { } held)
        {
            // The lock file is removed through the backend, so before the backend goes.
            _lock = null;
            HeldLock = LockMode.None;
            await held.DisposeAsync().ConfigureAwait(false);
        }

        Key.Dispose();
        await Backend.DisposeAsync().ConfigureAwait(false);
    }
}
