using Cellar.Repository.Model;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

public sealed class ResticRepositoryReadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Repository_made_by_restic_opens_and_every_file_reads_back_equal(int version)
    {
        using var temp = new TempDirectory();
        var repoPath = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        var files = SourceTree.Create(source);
        await ResticPeer.InitAsync(repoPath, version);
        var snapshotId = await ResticPeer.BackupAsync(repoPath, source, "--tag", "first");

        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(repoPath), ResticPeer.Password, TestContext.Current.CancellationToken);
        repository.Config.Version.ShouldBe(version);
        var snapshots = await repository.ListSnapshotsAsync(TestContext.Current.CancellationToken);
        snapshots.Count.ShouldBe(1);
        snapshots[0].Id.HasPrefix(snapshotId).ShouldBeTrue();
        snapshots[0].Hostname.ShouldBe("testhost");
        snapshots[0].Tags.ShouldBe(["first"]);
        snapshots[0].Paths.ShouldBe([source]);

        var root = await repository.LoadTreeAsync(snapshots[0].Tree!.Value, TestContext.Current.CancellationToken);
        var sourceNode = await WalkToAsync(repository, root, source);
        var read = new Dictionary<string, byte[]>();
        await CollectAsync(repository, sourceNode, "", read);
        read.Keys.Order().ShouldBe(files.Keys.Order());
        foreach (var (name, content) in files)
        {
            read[name].ShouldBe(content, name);
        }

        var dir = await repository.LoadTreeAsync(sourceNode.Subtree!.Value, TestContext.Current.CancellationToken);
        var link = dir.Nodes.Single(n => n.Name == "link");
        link.Type.ShouldBe(NodeType.Symlink);
        link.LinkTarget.ShouldBe("hello.txt");
    }

    internal static async Task<Node> WalkToAsync(ResticRepository repository, Tree root, string absolutePath)
    {
        Node? node = null;
        var tree = root;
        foreach (var part in absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = tree.Nodes.Single(n => n.Name == part);
            if (node.Subtree is { } subtree)
            {
                tree = await repository.LoadTreeAsync(subtree, TestContext.Current.CancellationToken);
            }
        }

        return node!;
    }

    internal static async Task CollectAsync(ResticRepository repository, Node dir, string prefix, Dictionary<string, byte[]> files)
    {
        var tree = await repository.LoadTreeAsync(dir.Subtree!.Value, TestContext.Current.CancellationToken);
        foreach (var node in tree.Nodes)
        {
            var path = prefix + node.Name;
            if (node.Type == NodeType.Dir)
            {
                await CollectAsync(repository, node, path + "/", files);
            }
            else if (node.Type == NodeType.File)
            {
                using var content = new MemoryStream();
                foreach (var id in node.Content ?? [])
                {
                    content.Write(await repository.LoadBlobAsync(BlobType.Data, id, TestContext.Current.CancellationToken));
                }

                files[path] = content.ToArray();
            }
        }
    }
}
