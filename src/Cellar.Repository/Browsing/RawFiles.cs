using Cellar.Repository.Keys;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Browsing;

/// <summary>
/// A repository's files as stored, decrypted where they are encrypted (restic's <c>cat</c>):
/// for debugging and for tools that read the format themselves.
/// </summary>
public static class RawFiles
{
    /// <summary>
    /// The plaintext of a file: a snapshot's or an index file's JSON (checked and decrypted), a
    /// lock's record, or a key file as stored (key files are not sealed with the master key).
    /// </summary>
    public static async Task<byte[]> ReadAsync(ResticRepository repository, FileType type, Id id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return type == FileType.Key
            ? await repository.Backend.LoadAsync(new FileHandle(FileType.Key, id.ToString()), 0, 0, cancellationToken).ConfigureAwait(false)
            : await repository.LoadUnpackedAsync(type, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The master key the repository was opened with, as the JSON inside a key file.</summary>
    public static byte[] MasterKey(ResticRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return MasterKeyJson.ToJson(repository.Key);
    }

    /// <summary>
    /// A blob's plaintext, verified against its id, looked up as a data blob and then as a tree
    /// blob; null when the loaded index has neither.
    /// </summary>
    public static async Task<byte[]?> ReadBlobAsync(ResticRepository repository, Id id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        BlobType? type = repository.Index.Contains(new BlobHandle(id, BlobType.Data)) ? BlobType.Data
            : repository.Index.Contains(new BlobHandle(id, BlobType.Tree)) ? BlobType.Tree
            : null;
        return type is { } found ? await repository.LoadBlobAsync(found, id, cancellationToken).ConfigureAwait(false) : null;
    }
}
