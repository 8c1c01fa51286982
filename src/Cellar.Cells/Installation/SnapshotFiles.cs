using System.Text;
using Cellar.Repository;
using Cellar.Repository.Model;
using Cellar.Repository.Restoring;

namespace Cellar.Cells.Installation;

/// <summary>Finds entries of a snapshot by absolute path and reads file content back as a stream (through the repository's one <see cref="Restorer"/>).</summary>
public sealed class SnapshotFiles(ResticRepository repository, Id rootTree)
{
    private readonly Restorer _restorer = new(repository);

    public ResticRepository Repository => repository;

    /// <summary>The restorer every read of this snapshot's content goes through.</summary>
    public Restorer Restorer => _restorer;

    /// <summary>The node at an absolute path inside the snapshot, or null.</summary>
    public async Task<Node?> FindAsync(string path, CancellationToken cancellationToken)
    {
        var tree = rootTree;
        Node? node = null;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not null)
            {
                if (node.Subtree is not { } subtree)
                {
                    return null;
                }

                tree = subtree;
            }

            var loaded = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            node = loaded.Find(Encoding.UTF8.GetBytes(part));
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Opens the content of the file at <paramref name="path"/>; throws <see cref="FileNotFoundException"/> when absent.</summary>
    public async Task<Stream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var node = await FindAsync(path, cancellationToken).ConfigureAwait(false);
        if (node is null || node.Type != NodeType.File)
        {
            throw new FileNotFoundException($"{path} is not a file in the snapshot.", path);
        }

        return _restorer.OpenFile(node);
    }

    public async Task<byte[]> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
