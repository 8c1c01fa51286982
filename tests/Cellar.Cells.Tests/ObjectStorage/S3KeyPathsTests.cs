using Cellar.Cells.ObjectStorage;

namespace Cellar.Cells.Tests.ObjectStorage;

public sealed class S3KeyPathsTests
{
    [Fact]
    public void Plain_keys_become_paths_and_keys_no_file_system_can_hold_are_escaped()
    {
        var keys = new[] { "docs/report.pdf", "a//b", "folder/", "./x", "k", "k/child", "../up", ".cellar-escaped/z", "ünï code.txt" };

        var paths = S3KeyPaths.Assign(keys, "");

        paths["docs/report.pdf"].ShouldBe("docs/report.pdf");
        paths["ünï code.txt"].ShouldBe("ünï code.txt");
        paths["k/child"].ShouldBe("k/child");
        foreach (var odd in new[] { "a//b", "folder/", "./x", "k", "../up", ".cellar-escaped/z" })
        {
            paths[odd].ShouldStartWith(S3KeyPaths.EscapedFolder + "/");
        }

        paths.Values.Distinct().Count().ShouldBe(keys.Length);
    }

    [Fact]
    public void The_datasource_prefix_is_not_part_of_the_path()
    {
        S3KeyPaths.Assign(["cells/ds/file.txt"], "cells/ds")["cells/ds/file.txt"].ShouldBe("file.txt");
    }
}
