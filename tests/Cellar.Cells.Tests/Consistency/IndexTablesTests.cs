using Cellar.Cells.Consistency;

namespace Cellar.Cells.Tests.Consistency;

/// <summary>
/// Where the index of a datasource is and which rows are files. Cells v5 gives GORM the DSN's
/// <c>prefix</c> as TablePrefix (pydio/cells common/storage/sql/gorm.go, OpenPool) and marks a file
/// with <c>leaf</c> 1 and a folder with 2, turning v4's 0 into 2 (common/storage/sql/index/gorm-impl.go, Migrate).
/// </summary>
public sealed class IndexTablesTests
{
    [Fact]
    public void The_plain_table_name_wins_over_a_prefixed_one()
    {
        IndexTables.Find(["cells_data_index_ext_idx_tree", "data_index_ext_idx_tree", "idm_user_idx_tree"], "ext").ShouldBe("data_index_ext_idx_tree");
    }

    [Fact]
    public void A_table_behind_a_DSN_prefix_is_found()
    {
        IndexTables.Find(["cells_data_index_ext_idx_tree", "cells_data_index_pydiods1_idx_tree"], "ext").ShouldBe("cells_data_index_ext_idx_tree");
    }

    [Fact]
    public void No_table_for_the_datasource_is_null_and_two_prefixed_candidates_are_an_error()
    {
        IndexTables.Find(["data_index_other_idx_tree"], "ext").ShouldBeNull();
        Should.Throw<InvalidDataException>(() => IndexTables.Find(["a_data_index_ext_idx_tree", "b_data_index_ext_idx_tree"], "ext"));
    }

    [Fact]
    public void Only_leaf_one_is_a_file_in_v4_and_v5()
    {
        IndexTables.IsLeaf(1).ShouldBeTrue();
        IndexTables.IsLeaf(0).ShouldBeFalse();
        IndexTables.IsLeaf(2).ShouldBeFalse();
    }
}
