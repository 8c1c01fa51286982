using Cellar.Cells.Consistency;
using Cellar.Testing;

namespace Cellar.Cells.Tests.Consistency;

/// <summary>
/// The consistency proof by Cells' rules: flat objects are named by node uuid
/// (pydio/cells common/nodes/core/handler-exec.go, buildS3Path), the index tree comes from the
/// dotted mpaths (common/sql/index/sql.go), structured folders hold their uuid in .pydio
/// (common/sync/endpoints/filesystem/client-fs.go, CreateNode).
/// </summary>
public sealed class ConsistencyProofTests
{
    private static IndexNode Root => new("ROOT", "", false, 0, "", "1");

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void Flat_datasource_with_every_object_at_its_indexed_size_is_consistent()
    {
        using var temp = new TempDirectory();
        Write(temp.Combine("ds", "u-1"), "12345");
        Write(temp.Combine("ds", "ab", "u-2"), "1234567"); // a sharded layout (v5) is found by name
        var rows = new[]
        {
            Root,
            new IndexNode("d", "docs", false, 12, "", "1.1"),
            new IndexNode("u-1", "a.txt", true, 5, "e", "1.1.1"),
            new IndexNode("u-2", "b.txt", true, 7, "e", "1.2"),
        };

        var proof = ConsistencyProof.Prove(new ProofTarget("ds", temp.Combine("ds"), true), rows);

        proof.Findings.ShouldBeEmpty();
        proof.IndexedFiles.ShouldBe(2);
        proof.Objects.ShouldBe(2);
    }

    [Fact]
    public void Flat_datasource_names_a_missing_object_by_its_index_path_a_wrong_size_and_lists_orphans()
    {
        using var temp = new TempDirectory();
        Write(temp.Combine("ds", "u-2"), "123");
        Write(temp.Combine("ds", "stray"), "xx");
        Write(temp.Combine("ds", ".minio.sys", "format.json"), "{}");
        var rows = new[]
        {
            Root,
            new IndexNode("d", "docs", false, 0, "", "1.1"),
            new IndexNode("u-1", "a.txt", true, 5, "e", "1.1.1"),
            new IndexNode("u-2", "b.txt", true, 7, "e", "1.2"),
            new IndexNode("u-3", "uploading.bin", true, 0, IndexTables.TemporaryEtag, "1.3"),
        };

        var proof = ConsistencyProof.Prove(new ProofTarget("ds", temp.Combine("ds"), true), rows);

        proof.Findings.ShouldContain(f => f.Kind == "missing-object" && f.Path == "docs/a.txt" && f.Detail.Contains("u-1"));
        proof.Findings.ShouldContain(f => f.Kind == "size-mismatch" && f.Path == "b.txt" && f.Detail.Contains("3 bytes") && f.Detail.Contains("7 bytes"));
        proof.Findings.ShouldContain(f => f.Kind == "orphan" && f.Path == "stray" && !f.IsFailure);
        proof.Findings.Count.ShouldBe(3, string.Join("\n", proof.Findings));
    }

    [Fact]
    public void Structured_datasource_checks_files_at_their_tree_paths_and_folder_ids_in_pydio_files()
    {
        using var temp = new TempDirectory();
        var ds = temp.Combine("ds");
        Write(Path.Combine(ds, ".pydio"), "ROOT");
        Write(Path.Combine(ds, "docs", ".pydio"), "d-uuid");
        Write(Path.Combine(ds, "docs", "a.txt"), "12345");
        Write(Path.Combine(ds, "photos", ".pydio"), "someone-else");
        Write(Path.Combine(ds, "photos", "new.jpg"), "jpg");
        var rows = new[]
        {
            Root,
            new IndexNode("d-uuid", "docs", false, 5, "", "1.1"),
            new IndexNode("f-1", "a.txt", true, 5, "e", "1.1.1"),
            new IndexNode("f-p", ".pydio", true, 6, "e", "1.1.2"),
            new IndexNode("p-uuid", "photos", false, 0, "", "1.2"),
            new IndexNode("g-uuid", "gone", false, 0, "", "1.3"),
            new IndexNode("f-2", "b.txt", true, 4, "e", "1.3.1"),
        };

        var proof = ConsistencyProof.Prove(new ProofTarget("ds", ds, false), rows);

        proof.Findings.ShouldContain(f => f.Kind == "pydio-mismatch" && f.Path == "photos" && f.Detail.Contains("someone-else") && f.Detail.Contains("p-uuid"));
        proof.Findings.ShouldContain(f => f.Kind == "pydio-mismatch" && f.Path == "gone");
        proof.Findings.ShouldContain(f => f.Kind == "missing-object" && f.Path == "gone/b.txt");
        proof.Findings.ShouldContain(f => f.Kind == "orphan" && f.Path == "photos/new.jpg");
        proof.Findings.Count.ShouldBe(4, string.Join("\n", proof.Findings));
    }

    [Fact]
    public void A_datasource_with_objects_but_no_index_table_fails_and_an_empty_one_does_not()
    {
        using var temp = new TempDirectory();
        Write(temp.Combine("full", "u-1"), "x");
        Write(temp.Combine("empty", ".pydio"), "ROOT");

        ConsistencyProof.Prove(new ProofTarget("full", temp.Combine("full"), true), null)
            .Findings.ShouldContain(f => f.Kind == "no-index" && f.Path == "data_index_full_idx_tree" && f.IsFailure);
        ConsistencyProof.Prove(new ProofTarget("empty", temp.Combine("empty"), true), null).Findings.ShouldBeEmpty();
    }

    [Fact]
    public void The_index_table_is_named_as_Cells_prefixes_it()
    {
        // data/source/index/grpc/plugins.go (data.index.NAME, dots to underscores) + common/sql/index/sql.go ("_idx").
        IndexTables.TreeTable("pydiods1").ShouldBe("data_index_pydiods1_idx_tree");
        IndexTables.TreeTable("my.ds").ShouldBe("data_index_my_ds_idx_tree");
    }
}
