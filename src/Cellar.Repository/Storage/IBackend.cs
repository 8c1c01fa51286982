using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Storage;

/// <summary>
/// The narrow interface every storage place implements (local folder, S3). Retry, limits and
/// logging are wrappers around it, composed in one place.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>Where the repository is, as the user wrote it (no credentials).</summary>
    string Location { get; }

    /// <summary>
    /// How many reads at once pay off against this store (a restore runs this many pack reads,
    /// decodes and writes at once). By default twice the cores (at least 4), so that waiting for a
    /// remote store overlaps decoding; a local folder, whose reads are page-cache copies done on the
    /// reader's own thread, says the number of cores. Wrappers pass on their inner backend's answer.
    /// </summary>
    int ReadConcurrency => Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>
    /// Stores a whole file. The file becomes visible under its name only once complete and durable
    /// (local: temp file, fsync, rename; S3: one verified PUT). Existing files are never overwritten
    /// silently: saving a name that exists with other content is an error.
    /// </summary>
    Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a whole file whose bytes are the first <paramref name="length"/> bytes of a local
    /// file (a pack assembled in a temporary file), with the same guarantees as the other
    /// overload. The source is read with positioned reads, so a retry can read it again; it is not
    /// closed. Backends that cannot stream fall back to reading it into memory.
    /// </summary>
    async Task SaveAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        var data = new byte[length];
        var read = 0;
        while (read < data.Length)
        {
            var n = await RandomAccess.ReadAsync(source, data.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
            if (n <= 0)
            {
                throw new EndOfStreamException($"{handle}: its source file ended at {read} of {length} bytes");
            }

            read += n;
        }

        await SaveAsync(handle, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/>; length 0 reads to the end.</summary>
    Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <c>destination.Length</c> bytes at <paramref name="offset"/> into the caller's buffer
    /// (so hot paths can read into pooled or reused memory) and returns that count. Like
    /// <see cref="LoadAsync"/>, a range past the end of the file fails with an
    /// <see cref="IOException"/> rather than returning short data. Backends that cannot do better
    /// fall back to <see cref="LoadAsync"/> and a copy.
    /// </summary>
    async ValueTask<int> ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        var data = await LoadAsync(handle, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        if (data.Length != destination.Length)
        {
            throw new EndOfStreamException($"{handle}: read {data.Length} of {destination.Length} bytes at offset {offset}");
        }

        data.CopyTo(destination);
        return data.Length;
    }

    /// <summary>The size of a file, or null when it does not exist.</summary>
    Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>Lists every file of one type (for packs: across all <c>data/xx/</c> folders).</summary>
    IAsyncEnumerable<RemoteFile> ListAsync(FileType type, CancellationToken cancellationToken);

    /// <summary>Removes a file; removing a file that does not exist is not an error.</summary>
    Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken);
}
