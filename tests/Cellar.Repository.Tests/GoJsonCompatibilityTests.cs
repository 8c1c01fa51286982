using System.Text;
using Cellar.Repository.Json;
using Cellar.Repository.Keys;
using Cellar.Repository.Model;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests;

/// <summary>JSON written the way Go's encoding/json and restic write it, checked against restic itself.</summary>
public sealed class GoJsonCompatibilityTests
{
    [Fact]
    public async Task Trees_restic_wrote_reencode_to_identical_bytes_including_odd_names()
    {
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        SourceTree.Create(source);
        foreach (var name in new[] { "quote\"back\\slash", "html <a> & b", "tab\there", "ünïcødé", "line\u2028sep", "nbsp\u00a0x" })
        {
            File.WriteAllText(Path.Combine(source, name), name);
        }

        // A name that is not UTF-8, made by the shell's printf (raw bytes). (A non-UTF-8 link target
        // is not used here: restic before 0.17 stores it lossily, as U+FFFD, so it cannot round-trip.)
        var (code, _, error) = await ExternalTool.RunAsync("sh", ["-c", "touch \"$(printf 'bad\\377name')\""], workingDirectory: source,
            cancellationToken: TestContext.Current.CancellationToken);
        code.ShouldBe(0, error);
        await ResticPeer.InitAsync(repo, 2);
        await ResticPeer.BackupAsync(repo, source);

        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(repo), ResticPeer.Password, ct);
        var trees = repository.Index.AllBlobs().Where(b => b.Type == BlobType.Tree).ToList();
        trees.ShouldNotBeEmpty();
        var sawBadName = false;
        foreach (var blob in trees)
        {
            var original = await repository.LoadBlobAsync(BlobType.Tree, blob.Id, ct);
            var tree = Tree.Parse(original);
            Encoding.UTF8.GetString(tree.ToBlob()).ShouldBe(Encoding.UTF8.GetString(original));
            sawBadName |= tree.Nodes.Any(n => n.RawName.SequenceEqual(new byte[] { (byte)'b', (byte)'a', (byte)'d', 0xff, (byte)'n', (byte)'a', (byte)'m', (byte)'e' }));
        }

        sawBadName.ShouldBeTrue("the non-UTF-8 name came back as its raw bytes");
    }

    [Fact]
    public void Non_utf8_link_target_is_written_with_linktarget_raw_and_read_back_exactly()
    {
        var node = new Node { Name = "l", Type = NodeType.Symlink, RawLinkTarget = [(byte)'t', 0xfe] };
        var tree = new Tree();
        tree.Nodes.Add(node);
        var blob = tree.ToBlob();
        var text = Encoding.UTF8.GetString(blob);
        text.ShouldContain("\"linktarget\":\"t\\ufffd\",\"linktarget_raw\":\"dP4=\"");
        Tree.Parse(blob).Nodes[0].RawLinkTarget.ShouldBe(new byte[] { (byte)'t', 0xfe });
        text.ShouldEndWith("]}\n");
    }

    [Fact]
    public void Quote_and_unquote_round_trip_arbitrary_bytes_as_Go_does()
    {
        GoStrconv.QuoteInner([(byte)'a', 0xff, (byte)'"', (byte)'\\', (byte)'\n', 0x7f]).ShouldBe("a\\xff\\\"\\\\\\n\\x7f");
        GoStrconv.QuoteInner(Encoding.UTF8.GetBytes("é\u00a0\u2028😀")).ShouldBe("é\\u00a0\\u2028😀");
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 20)];
            random.NextBytes(bytes);
            GoStrconv.TryUnquoteInner(GoStrconv.QuoteInner(bytes)).ShouldBe(bytes);
        }
    }

    [Fact]
    public void Json_strings_are_escaped_as_Go_escapes_them()
    {
        var w = new GoJsonWriter();
        w.StringBytes([(byte)'<', (byte)'>', (byte)'&', 0x01, 0xff, (byte)'"', .. Encoding.UTF8.GetBytes("\u2029é")]);
        Encoding.UTF8.GetString(w.WrittenSpan).ShouldBe("\"\\u003c\\u003e\\u0026\\u0001\\ufffd\\\"\\u2029é\"");
    }

    [Theory]
    [InlineData("2015-11-10T22:11:48.975774597+01:00")]
    [InlineData("2023-01-02T03:04:05Z")]
    [InlineData("2023-01-02T03:04:05.1-07:30")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void Times_format_back_as_Go_formats_them(string text)
    {
        GoTime.Parse(text).ToString().ShouldBe(text);
    }

    [Fact]
    public void Go_file_modes_convert_to_and_from_posix_modes()
    {
        GoFileMode.FromPosix(0x8000 | 0x800 | 0x1ed).ShouldBe(GoFileMode.Setuid | 0x1ed); // -rwsr-xr-x
        GoFileMode.FromPosix(0x4000 | 0x200 | 0x1ff).ShouldBe(GoFileMode.Dir | GoFileMode.Sticky | 0x1ff);
        GoFileMode.FromPosix(0x2000 | 0x1b6).ShouldBe(GoFileMode.Device | GoFileMode.CharDevice | 0x1b6);
        foreach (var mode in new uint[] { 0x81a4, 0x41ed, 0xa1ff, 0x11a4, 0xc1ed, 0x61b0, 0x21b6, 0x8de4, 0x43ff })
        {
            GoFileMode.ToPosix(GoFileMode.FromPosix(mode)).ShouldBe(mode);
        }
    }

    [Fact]
    public async Task Key_added_by_cellar_and_snapshot_saved_by_cellar_are_accepted_by_restic()
    {
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        var source = temp.Combine("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        await ResticPeer.InitAsync(repo, 2);
        await ResticPeer.BackupAsync(repo, source);
        var ct = TestContext.Current.CancellationToken;
        await using (var repository = await ResticRepository.OpenAsync(new LocalBackend(repo), ResticPeer.Password, ct))
        {
            await KeyFiles.AddAsync(repository.Backend, repository.Key, "second password", ct);
            var snapshot = (await repository.ListSnapshotsAsync(ct)).Single();
            snapshot.Tags = ["copied-by-cellar"];
            snapshot.Time = GoTime.Parse("2030-01-02T03:04:05.123456789+02:00");
            await repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.ToJson(), ct);
        }

        var env = ResticPeer.Environment(repo, "second password");
        var (code, output, error) = await ExternalTool.RunAsync(ExternalTool.Require("restic"), ["snapshots", "--json", "--tag", "copied-by-cellar"], env, cancellationToken: ct);
        code.ShouldBe(0, error);
        output.ShouldContain("2030-01-02T03:04:05.123456789+02:00");
        var (checkCode, checkOut, checkError) = await ResticPeer.RunAsync(repo, "check");
        checkCode.ShouldBe(0, checkOut + checkError);
    }
}
