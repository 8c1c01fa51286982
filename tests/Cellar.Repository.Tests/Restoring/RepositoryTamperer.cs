using System.Buffers.Binary;
using Cellar.Repository.Index;
using Cellar.Repository.Json;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;

namespace Cellar.Repository.Tests.Restoring;

/// <summary>
/// Test-only writer that adds hand-made trees and snapshots to an existing repository (one tree
/// blob per pack, uncompressed, with its own index file) to play a hostile or damaged repository.
/// </summary>
internal static class RepositoryTamperer
{
    public static async Task<Id> AddTreeAsync(ResticRepository repository, Tree tree, CancellationToken ct)
    {
        var plaintext = tree.ToBlob();
        var id = Id.Hash(plaintext);
        var blob = repository.Key.Seal(plaintext);
        var header = new byte[1 + 4 + Id.Size];
        header[0] = 1; // tree, uncompressed
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(1), (uint)blob.Length);
        id.CopyTo(header.AsSpan(5));
        var sealedHeader = repository.Key.Seal(header);
        var pack = new byte[blob.Length + sealedHeader.Length + 4];
        blob.CopyTo(pack, 0);
        sealedHeader.CopyTo(pack, blob.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(pack.AsSpan(blob.Length + sealedHeader.Length), (uint)sealedHeader.Length);
        var packId = Id.Hash(pack);
        await repository.Backend.SaveAsync(new FileHandle(FileType.Pack, packId.ToString()), pack, ct);

        var entry = new IndexPack(packId);
        entry.Blobs.Add(new PackedBlob(new BlobHandle(id, BlobType.Tree), packId, 0, blob.Length, 0));
        var index = new IndexFile();
        index.Packs.Add(entry);
        await repository.SaveUnpackedAsync(FileType.Index, index.ToJson(), ct);
        repository.Index.AddPack(packId, entry.Blobs);
        return id;
    }

    public static async Task<Id> AddSnapshotAsync(ResticRepository repository, Id tree, CancellationToken ct)
    {
        var snapshot = new Snapshot
        {
            Time = GoTime.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Tree = tree,
            Paths = ["/hostile"],
            Hostname = "tamperer",
            Username = "test",
        };
        return await repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.ToJson(), ct);
    }

    public static Node File(byte[] name, List<Id> content, ulong size) => new()
    {
        RawName = name,
        Type = NodeType.File,
        Mode = 0x1A4,
        ModTime = GoTime.FromUnix(1_600_000_000, 5),
        AccessTime = GoTime.FromUnix(1_600_000_000, 5),
        ChangeTime = GoTime.FromUnix(1_600_000_000, 5),
        Content = content,
        Size = size,
        Links = 1,
    };

    public static Node Symlink(string name, string target) => new()
    {
        Name = name,
        Type = NodeType.Symlink,
        Mode = GoFileMode.Symlink | 0x1FF,
        ModTime = GoTime.FromUnix(1_600_000_000, 5),
        AccessTime = GoTime.FromUnix(1_600_000_000, 5),
        ChangeTime = GoTime.FromUnix(1_600_000_000, 5),
        LinkTarget = target,
    };

    public static Node Directory(string name, Id subtree) => new()
    {
        Name = name,
        Type = NodeType.Dir,
        Mode = GoFileMode.Dir | 0x1ED,
        ModTime = GoTime.FromUnix(1_600_000_000, 5),
        AccessTime = GoTime.FromUnix(1_600_000_000, 5),
        ChangeTime = GoTime.FromUnix(1_600_000_000, 5),
        Subtree = subtree,
    };
}
