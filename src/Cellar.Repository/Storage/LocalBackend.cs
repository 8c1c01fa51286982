using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Storage;

/// <summary>
/// A repository in a local folder with restic's default layout: <c>config</c>, <c>keys/</c>,
/// <c>locks/</c>, <c>snapshots/</c>, <c>index/</c>, <c>data/xx/</c> (xx: the first two hex digits
/// of the pack id). Files are written to a temporary name, flushed to disk and renamed.
/// </summary>
public sealed class LocalBackend : IBackend, IPreparableBackend
{
    private readonly string _root;

    public LocalBackend(string path, string? location = null)
    {
        _root = Path.GetFullPath(path);
        Location = location ?? path;
    }

    public string Location { get; }

    public string RootPath => _root;

    /// <summary>The number of cores (at least 2): local reads are copies from the page cache, done on the reading thread.</summary>
    public int ReadConcurrency => Math.Max(2, Environment.ProcessorCount);

    /// <summary>Lays out the folders of a new repository; nothing when a repository is already there (then <c>init</c> refuses).</summary>
    public Task PrepareForNewRepositoryAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(_root, "config")))
        {
            CreateLayout();
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates the folders of an empty repository (refuses when a config file exists).</summary>
    public void CreateLayout()
    {
        if (File.Exists(Path.Combine(_root, "config")))
        {
            throw new IOException($"a repository already exists at {Location}; refusing to create another one there.");
        }

        Directory.CreateDirectory(_root);
        foreach (var dir in new[] { "keys", "locks", "snapshots", "index", "data" })
        {
            Directory.CreateDirectory(Path.Combine(_root, dir));
        }

        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(_root, "data", i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public string PathOf(FileHandle handle) => handle.Type switch
    {
        FileType.Config => Path.Combine(_root, "config"),
        FileType.Pack => Path.Combine(_root, "data", handle.Name.Length >= 2 ? handle.Name[..2] : handle.Name, handle.Name),
        _ => Path.Combine(_root, DirectoryOf(handle.Type), handle.Name),
    };

    private static string DirectoryOf(FileType type) => type switch
    {
        FileType.Key => "keys",
        FileType.Lock => "locks",
        FileType.Snapshot => "snapshots",
        FileType.Index => "index",
        FileType.Pack => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SaveCoreAsync(handle,
            (stream, ct) => stream.WriteAsync(data, ct).AsTask(),
            async (path, ct) => (await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false)).AsSpan().SequenceEqual(data.Span),
            cancellationToken);

    /// <summary>Copies the source file's bytes into the repository in 1 MiB pieces (temporary name, fsync, rename).</summary>
    public Task SaveAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken) =>
        SaveCoreAsync(handle,
            async (stream, ct) =>
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    for (long position = 0; position < length;)
                    {
                        var read = await ReadFullyAsync(source, position, buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, length - position)), ct).ConfigureAwait(false);
                        if (read == 0)
                        {
                            throw new EndOfStreamException($"{handle}: its source file ended at {position} of {length} bytes");
                        }

                        await stream.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                        position += read;
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            (path, ct) => SameContentAsync(path, source, length, ct),
            cancellationToken);

    private const int CopyBufferSize = 1024 * 1024;

    private async Task SaveCoreAsync(FileHandle handle, Func<FileStream, CancellationToken, Task> write, Func<string, CancellationToken, Task<bool>> sameContent, CancellationToken cancellationToken)
    {
        ValidateName(handle);
        var path = PathOf(handle);
        if (File.Exists(path))
        {
            if (await sameContent(path, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            throw new IOException($"{handle} already exists in {Location} with other content; refusing to overwrite it.");
        }

        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            await using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            }))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Someone stored the same name meanwhile: fine when it is the same content.
                if (!await sameContent(path, cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException($"{handle} already exists in {Location} with other content; refusing to overwrite it.");
                }
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static async Task<bool> SameContentAsync(string path, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        using var existing = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RandomAccess.GetLength(existing) != length)
        {
            return false;
        }

        var ours = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        var theirs = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            for (long position = 0; position < length;)
            {
                var want = (int)Math.Min(CopyBufferSize, length - position);
                var a = await ReadFullyAsync(source, position, ours.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                var b = await ReadFullyAsync(existing, position, theirs.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (a != want || b != want || !ours.AsSpan(0, want).SequenceEqual(theirs.AsSpan(0, want)))
                {
                    return false;
                }

                position += want;
            }

            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(ours);
            System.Buffers.ArrayPool<byte>.Shared.Return(theirs);
        }
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        using var file = OpenForReading(handle);
        var size = RandomAccess.GetLength(file);
        CheckOffset(handle, offset, size);
        var count = length == 0 ? checked((int)(size - offset)) : length;
        if (offset + count > size)
        {
            throw new EndOfStreamException($"{handle} has {size} bytes; cannot read {count} bytes at {offset}");
        }

        var buffer = new byte[count];
        var done = await ReadFullyAsync(file, offset, buffer, cancellationToken).ConfigureAwait(false);
        if (done < count)
        {
            throw new EndOfStreamException($"{handle} ended after {offset + done} bytes");
        }

        return buffer;
    }

    /// <summary>
    /// Reads straight into <paramref name="destination"/> (a range past the end fails with
    /// <see cref="EndOfStreamException"/>). The read runs on the calling thread (a local read is mostly a page-cache copy, cheaper
    /// than handing it to another thread).
    /// </summary>
    public ValueTask<int> ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var file = OpenForReading(handle);
        CheckOffset(handle, offset, RandomAccess.GetLength(file));
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(file, destination.Span[done..], offset + done);
            if (read == 0)
            {
                throw new EndOfStreamException($"{handle} ended after {offset + done} bytes; cannot read {destination.Length} bytes at {offset}");
            }

            done += read;
        }

        return ValueTask.FromResult(done);
    }

    private SafeFileHandle OpenForReading(FileHandle handle)
    {
        var path = PathOf(handle);
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{handle} does not exist in {Location}", path);
        }
        catch (DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{handle} does not exist in {Location}", path);
        }
    }

    private static void CheckOffset(FileHandle handle, long offset, long size)
    {
        if (offset < 0 || offset > size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"offset {offset} is beyond the end of {handle} ({size} bytes)");
        }
    }

    private static async ValueTask<int> ReadFullyAsync(SafeFileHandle file, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            done += read;
        }

        return done;
    }

    public Task<long?> StatAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(handle));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public async IAsyncEnumerable<RemoteFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (type == FileType.Config)
        {
            var info = new FileInfo(Path.Combine(_root, "config"));
            if (info.Exists)
            {
                yield return new RemoteFile("config", info.Length);
            }

            yield break;
        }

        var dir = Path.Combine(_root, DirectoryOf(type));
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        var files = type == FileType.Pack
            ? new DirectoryInfo(dir).EnumerateDirectories().SelectMany(d => d.EnumerateFiles())
            : new DirectoryInfo(dir).EnumerateFiles();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Id.TryParse(file.Name, out _))
            {
                yield return new RemoteFile(file.Name, file.Length);
            }
        }
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(handle));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void ValidateName(FileHandle handle)
    {
        if (handle.Type != FileType.Config && !Id.TryParse(handle.Name, out _))
        {
            throw new ArgumentException($"'{handle.Name}' is not a valid file name for {handle.Type} (64 hex digits)");
        }
    }

    public override string ToString() => Location;
}
