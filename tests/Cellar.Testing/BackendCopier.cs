using Cellar.Repository.Storage;

namespace Cellar.Testing;

/// <summary>Copies every file of one backend to another (e.g. a repository restic made locally onto an S3 server).</summary>
public static class BackendCopier
{
    public static async Task<int> CopyAllAsync(IBackend from, IBackend to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var copied = 0;
        foreach (var type in Enum.GetValues<FileType>())
        {
            await foreach (var file in from.ListAsync(type, cancellationToken))
            {
                var handle = type == FileType.Config ? FileHandle.Config : new FileHandle(type, file.Name);
                await to.SaveAsync(handle, await from.LoadAsync(handle, 0, 0, cancellationToken), cancellationToken);
                copied++;
            }
        }

        return copied;
    }
}
