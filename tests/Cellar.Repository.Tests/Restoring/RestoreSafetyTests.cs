using System.Text;
using Cellar.Repository.Model;
using Cellar.Repository.Platform;
using Cellar.Repository.Storage;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Restoring;

public sealed class RestoreSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A restic repository holding one file "ok.txt" = "hello"; returns the runner and the file's node.</summary>
    private static async Task<(ResticRunner Restic, Node Ok)> MakeRepositoryAsync(TempDirectory temp)
    {
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "ok.txt"), "hello");
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct);
        var tree = await repository.LoadTreeAsync((await repository.FindSnapshotAsync(snapshot, Ct)).Tree!.Value, Ct);
        return (restic, tree.Nodes.Single(n => n.Name == "ok.txt"));
    }

    [Fact]
    public async Task Hostile_names_and_symlinked_parents_never_lead_outside_the_target()
    {
        using var temp = new TempDirectory("cellar-hostile");
        var (restic, ok) = await MakeRepositoryAsync(temp);
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var absolute = Path.Combine(Path.GetTempPath(), "cellar-abs-" + Guid.NewGuid().ToString("N"));
        string snapshot;
        await using (var repository = await ResticRepository.OpenAsync(new LocalBackend(restic.Repository), restic.Password, Ct))
        {
            var inner = new Tree();
            inner.Nodes.Add(RepositoryTamperer.File("file"u8.ToArray(), ok.Content!, ok.Size));
            var innerId = await RepositoryTamperer.AddTreeAsync(repository, inner, Ct);
            var root = new Tree();
            foreach (var name in new[] { "../evil", "a/b", absolute, ".", "..", "", "nul\0byte" })
            {
                root.Nodes.Add(RepositoryTamperer.File(Encoding.UTF8.GetBytes(name), ok.Content!, ok.Size));
            }

            root.Nodes.Add(RepositoryTamperer.Symlink("link", outside));
            root.Nodes.Add(RepositoryTamperer.Directory("link", innerId));
            root.Nodes.Add(RepositoryTamperer.File("link/file"u8.ToArray(), ok.Content!, ok.Size));
            root.Nodes.Add(RepositoryTamperer.Directory("sub", await RepositoryTamperer.AddTreeAsync(repository, new Tree { Nodes = { RepositoryTamperer.File("../../escape"u8.ToArray(), ok.Content!, ok.Size) } }, Ct)));
            root.Nodes.Add(ok);
            snapshot = (await RepositoryTamperer.AddSnapshotAsync(repository, await RepositoryTamperer.AddTreeAsync(repository, root, Ct), Ct)).ToString();
        }

        var target = temp.Combine("target");
        var result = await RestoreHarness.RestoreAsync(restic.Repository, restic.Password, snapshot, target);

        Directory.EnumerateFileSystemEntries(outside).ShouldBeEmpty();
        File.Exists(temp.Combine("evil")).ShouldBeFalse();
        File.Exists(temp.Combine("escape")).ShouldBeFalse();
        File.Exists(absolute).ShouldBeFalse();
        File.ReadAllText(Path.Combine(target, "ok.txt")).ShouldBe("hello");
        Posix.Stat(RawPath.FromString(Path.Combine(target, "link"))).Kind.ShouldBe(FileKind.Symlink);
        Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["link", "ok.txt", "sub"]);
        Directory.EnumerateFileSystemEntries(Path.Combine(target, "sub")).ShouldBeEmpty();
        var refused = result.Errors.Select(e => e.Path).ToList();
        refused.ShouldContain("/../evil");
        refused.ShouldContain("/a/b");
        refused.ShouldContain("/" + absolute);
        refused.ShouldContain("/.");
        refused.ShouldContain("/..");
        refused.ShouldContain("/");
        refused.ShouldContain("/link");
        refused.ShouldContain("/link/file");
        refused.ShouldContain("/sub/../../escape");
        result.Errors.Count.ShouldBe(10);
        result.Errors.ShouldAllBe(e => e.Message.Contains("refused"));
    }

    [Fact]
    public async Task A_symlink_already_in_the_target_where_a_folder_goes_is_refused_not_followed()
    {
        using var temp = new TempDirectory("cellar-hostile");
        var source = temp.Combine("src");
        Directory.CreateDirectory(Path.Combine(source, "dir"));
        File.WriteAllText(Path.Combine(source, "dir", "inside.txt"), "data");
        File.WriteAllText(Path.Combine(source, "top.txt"), "top");
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var target = temp.Combine("target");
        Directory.CreateDirectory(target);
        File.CreateSymbolicLink(Path.Combine(target, "dir"), outside);

        var result = await RestoreHarness.RestoreAsync(restic.Repository, restic.Password, snapshot, target);

        Directory.EnumerateFileSystemEntries(outside).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(target, "top.txt")).ShouldBe("top");
        result.Errors.Select(e => e.Path).ShouldBe(["/dir"]);
        result.Errors[0].Message.ShouldContain("not a folder");
    }

    [Fact]
    public async Task Existing_files_and_symlinks_in_the_target_are_replaced_not_written_through()
    {
        using var temp = new TempDirectory("cellar-overwrite");
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "new content");
        File.WriteAllText(Path.Combine(source, "b.txt"), "bee");
        var restic = new ResticRunner(temp.Combine("repo"));
        await restic.InitAsync(cancellationToken: Ct);
        var snapshot = await restic.BackupDirectoryContentsAsync(source, cancellationToken: Ct);
        var target = temp.Combine("target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "a.txt"), "old and much longer content that must go");
        var victim = temp.Combine("victim.txt");
        File.WriteAllText(victim, "untouched");
        File.CreateSymbolicLink(Path.Combine(target, "b.txt"), victim);

        var result = await RestoreHarness.RestoreAsync(restic.Repository, restic.Password, snapshot, target);

        result.Errors.ShouldBeEmpty();
        TreeComparer.AssertEqual(source, target);
        File.ReadAllText(victim).ShouldBe("untouched");
    }
}
