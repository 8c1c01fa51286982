using System.Text;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>The one-pass tree reader against the document-based reference, on trees restic wrote and on odd JSON.</summary>
public sealed class TreeReaderTests
{
    [Fact]
    public async Task Trees_restic_wrote_read_the_same_as_through_a_json_document()
    {
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        SourceTree.Create(source);
        foreach (var name in new[] { "quote\"back\\slash", "html <a> & b", "tab\there", "ünïcødé", "line\u2028sep" })
        {
            File.WriteAllText(Path.Combine(source, name), name);
        }

        // A non-UTF-8 name, a FIFO, an extended attribute and a hard link: each a field of its own in restic's node.
        var (code, _, error) = await ExternalTool.RunAsync("sh",
            ["-c", "touch \"$(printf 'bad\\377name')\" && mkfifo fifo && ln hello.txt hard && (setfattr -n user.note -v 'a b' hello.txt 2>/dev/null || true)"],
            workingDirectory: source, cancellationToken: TestContext.Current.CancellationToken);
        code.ShouldBe(0, error);
        await ResticPeer.InitAsync(repo, 2);
        await ResticPeer.BackupAsync(repo, source);

        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(repo), ResticPeer.Password, ct);
        var trees = repository.Index.AllBlobs().Where(b => b.Type == BlobType.Tree).ToList();
        trees.ShouldNotBeEmpty();
        var nodes = 0;
        foreach (var blob in trees)
        {
            var json = await repository.LoadBlobAsync(BlobType.Tree, blob.Id, ct);
            var read = Tree.Parse(json);
            var reference = Tree.ParseDocument(json);
            ShouldBeSame(read, reference);
            Encoding.UTF8.GetString(read.ToBlob()).ShouldBe(Encoding.UTF8.GetString(json));
            nodes += read.Nodes.Count;
        }

        nodes.ShouldBeGreaterThan(10);
    }

    [Fact]
    public void Odd_but_valid_json_reads_as_Go_reads_it_and_as_the_document_reader_does()
    {
        // Field names in other cases, unknown fields (objects, arrays), values of the wrong type,
        // escaped strings, generic attributes kept as raw JSON, extended attributes, null content.
        var json = """
            {"extra":[1,{"a":2}],"nodes":[
              {"NAME":"a\u0062c","Type":"file","MODE":420,"mtime":"2024-02-29T23:59:59.5+01:00","atime":"2024-01-01T00:00:00Z",
               "ctime":"2024-01-01T00:00:00.000000001-07:30","uid":"x","gid":7,"user":"r\u006fot","group":null,"inode":18446744073709551615,
               "unknown":{"deep":[[]]},"size":3,"links":2,"content":["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"]},
              {"name":"dir","type":"dir","mode":2147484141,"mtime":"0001-01-01T00:00:00Z","atime":"0001-01-01T00:00:00Z","ctime":"0001-01-01T00:00:00Z",
               "uid":0,"gid":0,"content":null,"subtree":"1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100",
               "generic_attributes":{"b":{"x":[1, 2]},"a":"t"},"extended_attributes":[{"name":"user.k","value":"AAE="},{"Name":"user.n","value":null}],
               "error":"boom"},
              {"name":"l","type":"symlink","linktarget":"t\ufffd","linktarget_raw":"dP4=","device":5,"device_id":9}
            ]}
            """u8.ToArray();
        var read = Tree.Parse(json);
        ShouldBeSame(read, Tree.ParseDocument(json));
        read.Nodes.Count.ShouldBe(3);
        var file = read.Nodes[0];
        file.Name.ShouldBe("abc");
        file.Mode.ShouldBe(420u);
        file.Uid.ShouldBe(0u);
        file.User.ShouldBe("root");
        file.Group.ShouldBeNull();
        file.Inode.ShouldBe(ulong.MaxValue);
        file.ModTime.ToString().ShouldBe("2024-02-29T23:59:59.5+01:00");
        file.ChangeTime.ToString().ShouldBe("2024-01-01T00:00:00.000000001-07:30");
        file.Content!.Count.ShouldBe(2);
        file.Content[1].ToString().ShouldBe(new string('f', 64));
        var dir = read.Nodes[1];
        dir.Content.ShouldBeNull();
        dir.GenericAttributes!["b"].ShouldBe("{\"x\":[1, 2]}");
        dir.ExtendedAttributes!.Count.ShouldBe(2);
        read.Nodes[2].RawLinkTarget.ShouldBe(new byte[] { (byte)'t', 0xfe });
    }

    [Theory]
    [InlineData("""{"nodes":[{"name":"a","mtime":"yesterday"}]}""")]
    [InlineData("""{"nodes":[{"name":"a","content":["00"]}]}""")]
    [InlineData("""{"nodes":[{"name":"a","mode":-1}]}""")]
    [InlineData("""{"nodes":[{"name":"a","content":[1]}]}""")]
    [InlineData("""{"nodes":[{"name":"a" """)]
    [InlineData("""{"nodes":[7]}""")]
    public void Damaged_trees_are_reported_as_corrupt(string json)
    {
        Should.Throw<RepositoryCorruptException>(() => Tree.Parse(Encoding.UTF8.GetBytes(json)));
        Should.Throw<RepositoryCorruptException>(() => Tree.ParseDocument(Encoding.UTF8.GetBytes(json)));
    }

    private static void ShouldBeSame(Tree read, Tree reference)
    {
        read.Nodes.Count.ShouldBe(reference.Nodes.Count);
        for (var i = 0; i < read.Nodes.Count; i++)
        {
            var (a, b) = (read.Nodes[i], reference.Nodes[i]);
            a.RawName.ShouldBe(b.RawName);
            (a.Type, a.Mode, a.ModTime, a.AccessTime, a.ChangeTime).ShouldBe((b.Type, b.Mode, b.ModTime, b.AccessTime, b.ChangeTime));
            (a.Uid, a.Gid, a.User, a.Group, a.Inode, a.DeviceId, a.Size, a.Links, a.Device).ShouldBe((b.Uid, b.Gid, b.User, b.Group, b.Inode, b.DeviceId, b.Size, b.Links, b.Device));
            a.RawLinkTarget.ShouldBe(b.RawLinkTarget);
            (a.Subtree, a.Error).ShouldBe((b.Subtree, b.Error));
            a.Content.ShouldBe(b.Content);
            a.GenericAttributes?.ToList().ShouldBe(b.GenericAttributes?.ToList());
            a.ExtendedAttributes?.Select(x => (x.Name, x.Value is null ? null : Convert.ToBase64String(x.Value))).ToList()
                .ShouldBe(b.ExtendedAttributes?.Select(x => (x.Name, x.Value is null ? null : Convert.ToBase64String(x.Value))).ToList());
            Encoding.UTF8.GetString(OneNodeBlob(a)).ShouldBe(Encoding.UTF8.GetString(OneNodeBlob(b)));
        }
    }

    private static byte[] OneNodeBlob(Node node)
    {
        var tree = new Tree();
        tree.Nodes.Add(node);
        return tree.ToBlob();
    }
}
